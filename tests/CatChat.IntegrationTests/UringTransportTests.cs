using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CatChat.Transport.Uring;
using Microsoft.AspNetCore.Connections;

namespace CatChat.IntegrationTests;

/// <summary>The io_uring transport (a ring's direct descriptor, its own reader and writer) over a real loopback connection.</summary>
public sealed class UringTransportTests : IAsyncLifetime
{
    private readonly TaskCompletionSource<UringConnection> _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Socket _listener = null!;
    private UringReactor _reactor = null!;
    private UringConnection _server = null!;
    private Socket _client = null!;

    public async Task InitializeAsync()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        _reactor = new UringReactor(
            "test-uring", 16, connection => _accepted.TrySetResult(connection), ex => _accepted.TrySetException(ex), _ => { });
        _reactor.StartAccepting((int)_listener.Handle, _listener.LocalEndPoint);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await _client.ConnectAsync(_listener.LocalEndPoint!);
        _server = await _accepted.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _reactor.Dispose();
        _listener.Dispose();
    }

    private UringInput Input => (UringInput)((IDuplexPipe)_server).Input;

    private UringOutput Output => (UringOutput)((IDuplexPipe)_server).Output;

    [Fact]
    public void PeerAddressComesFromTheAccept() => Assert.Equal(_client.LocalEndPoint, _server.RemoteEndPoint);

    [Fact]
    public async Task IdleReaderHoldsNoBufferAndKeepsAPartialLineUntilItsEnd()
    {
        var input = Input;
        var firstRead = input.ReadAsync();
        Assert.False(firstRead.IsCompleted);
        Assert.False(input.HoldsBuffer);

        await _client.SendAsync("hel"u8.ToArray());
        var partial = await firstRead;
        Assert.Equal("hel", Text(partial.Buffer));

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
    public async Task ReaderTakesARunLongerThanEveryReceiveBufferInOrder()
    {
        var input = Input;
        var sent = string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + (i % 26))));
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
        _client.Shutdown(SocketShutdown.Send);

        var result = await Input.ReadAsync();

        Assert.True(result.IsCompleted);
        Assert.True(result.Buffer.IsEmpty);
    }

    [Fact]
    public async Task WriterDeliversEverythingInOrderWhenTheKernelBufferFills()
    {
        var output = Output;
        var payload = new byte[4 * 1024 * 1024];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(i * 31 % 251);
        }

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
        var output = Output;
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

    [Fact]
    public async Task CancelPendingReadEndsAParkedReadAndTheNextReadWaitsAgain()
    {
        var input = Input;
        var parked = input.ReadAsync();
        Assert.False(parked.IsCompleted);

        input.CancelPendingRead();
        var canceled = await parked;
        Assert.True(canceled.IsCanceled);
        input.AdvanceTo(canceled.Buffer.Start);

        var next = input.ReadAsync();
        Assert.False(next.IsCompleted);
        await _client.SendAsync("after\n"u8.ToArray());
        Assert.Equal("after\n", Text((await next).Buffer));
    }

    [Fact]
    public async Task AbortFailsAParkedReadAndCompletesAWaitingFlush()
    {
        var input = Input;
        var output = Output;
        var parked = input.ReadAsync();

        // The client never reads: the send fills the kernel's buffers and waits for room.
        output.Write(new byte[16 * 1024 * 1024]);
        var flush = output.FlushAsync();
        Assert.False(flush.IsCompleted);

        _server.Abort(new ConnectionAbortedException("test"));

        await Assert.ThrowsAsync<ConnectionAbortedException>(async () => await parked);
        Assert.True((await flush.AsTask().WaitAsync(TimeSpan.FromSeconds(10))).IsCompleted);
        Assert.False(output.HoldsBuffer);
    }

    private static string Text(ReadOnlySequence<byte> buffer) => Encoding.ASCII.GetString(buffer.ToArray());
}
