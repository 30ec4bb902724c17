using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CatChat.Transport;

namespace CatChat.IntegrationTests;

/// <summary>The chat's own socket transport over a real loopback connection.</summary>
public sealed class SocketTransportTests : IAsyncLifetime
{
    private Socket _server = null!;
    private Socket _client = null!;

    public async Task InitializeAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await _client.ConnectAsync(listener.LocalEndPoint!);
        _server = await listener.AcceptAsync();
        _server.Blocking = false; // As the listener sets it.
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task IdleReaderHoldsNoBufferAndKeepsAPartialLineUntilItsEnd()
    {
        var input = new SocketInput(_server);
        var firstRead = input.ReadAsync();
        Assert.False(firstRead.IsCompleted);
        Assert.False(input.HoldsBuffer);

        await _client.SendAsync("hel"u8.ToArray());
        var partial = await firstRead;
        Assert.Equal("hel", Text(partial.Buffer));

        // Examined but not consumed: the bytes stay, and the next read waits for more.
        input.AdvanceTo(partial.Buffer.Start, partial.Buffer.End);
        Assert.True(input.HoldsBuffer);
        var secondRead = input.ReadAsync();
        Assert.False(secondRead.IsCompleted);

        await _client.SendAsync("lo\n"u8.ToArray());
        var whole = await secondRead;
        Assert.Equal("hello\n", Text(whole.Buffer));

        input.AdvanceTo(whole.Buffer.End);
        Assert.False(input.HoldsBuffer);
    }

    [Fact]
    public async Task ReaderGrowsPastItsFirstBufferForALongUnconsumedRun()
    {
        var input = new SocketInput(_server);
        var sent = new string('x', 20_000);
        await _client.SendAsync(Encoding.ASCII.GetBytes(sent));

        var seen = 0;
        while (seen < sent.Length)
        {
            var result = await input.ReadAsync();
            seen = (int)result.Buffer.Length;
            Assert.Equal(sent[..seen], Text(result.Buffer));
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        Assert.Equal(sent.Length, seen);
    }

    [Fact]
    public async Task PeerClosingCompletesTheReader()
    {
        var input = new SocketInput(_server);
        _client.Shutdown(SocketShutdown.Send);

        var result = await input.ReadAsync();

        Assert.True(result.IsCompleted);
        Assert.True(result.Buffer.IsEmpty);
    }

    [Fact]
    public async Task WriterDeliversEverythingInOrderWhenTheKernelBufferFills()
    {
        var output = new SocketOutput(_server);
        var payload = new byte[4 * 1024 * 1024];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(i * 31 % 251);
        }

        // Far more than the socket buffers hold, so some flushes must wait for the reader.
        var writing = Task.Run(async () =>
        {
            for (var offset = 0; offset < payload.Length; offset += 100_000)
            {
                output.Write(payload.AsSpan(offset, Math.Min(100_000, payload.Length - offset)));
                var flushed = await output.FlushAsync();
                Assert.False(flushed.IsCompleted);
                Assert.False(output.HoldsBuffer);
            }
        });

        var received = new byte[payload.Length];
        var total = 0;
        while (total < received.Length)
        {
            var count = await _client.ReceiveAsync(received.AsMemory(total));
            Assert.NotEqual(0, count);
            total += count;
        }

        await writing;
        Assert.Equal(payload, received);
    }

    [Fact]
    public async Task WriterToAResetPeerCompletesInsteadOfThrowing()
    {
        var output = new SocketOutput(_server);
        _client.LingerState = new LingerOption(true, 0);
        _client.Close(); // RST.

        var completed = false;
        for (var attempt = 0; attempt < 100 && !completed; attempt++)
        {
            output.Write(new byte[64 * 1024]);
            completed = (await output.FlushAsync()).IsCompleted;
        }

        Assert.True(completed);
        Assert.False(output.HoldsBuffer);
    }

    private static string Text(ReadOnlySequence<byte> buffer) => Encoding.ASCII.GetString(buffer.ToArray());
}
