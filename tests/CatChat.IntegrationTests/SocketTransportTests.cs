using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CatChat.Transport;
using Microsoft.AspNetCore.Connections;

namespace CatChat.IntegrationTests;

/// <summary>The chat's own socket transport (epoll reactor, bare descriptor) over a real loopback connection.</summary>
public sealed class SocketTransportTests : IAsyncLifetime
{
    private readonly EpollReactor _reactor = new("test-reactor", ex => throw new InvalidOperationException("a handler failed", ex));
    private SocketConnection _server = null!;
    private Socket _client = null!;

    public async Task InitializeAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await _client.ConnectAsync(listener.LocalEndPoint!);
        var accepted = await listener.AcceptAsync();

        // Take the descriptor away from .NET's socket (never disposed: it would wait on the handle for ever),
        // non-blocking as the listener's accept4 makes it.
        accepted.Blocking = false;
        var fd = (int)accepted.SafeHandle.DangerousGetHandle();
        accepted.SafeHandle.SetHandleAsInvalid();
        GC.SuppressFinalize(accepted.SafeHandle);
        GC.SuppressFinalize(accepted);
        _server = new SocketConnection(new SocketHandle(fd), default, _reactor);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _reactor.Dispose();
    }

    private SocketInput Input => (SocketInput)((IDuplexPipe)_server).Input;

    private SocketOutput Output => (SocketOutput)((IDuplexPipe)_server).Output;

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
        var input = Input;
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
        var input = Input;
        _client.Shutdown(SocketShutdown.Send);

        var result = await input.ReadAsync();

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
        Assert.False(canceled.IsCompleted);
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

        // The client never reads: the flush fills the kernel's buffers and waits for room.
        output.Write(new byte[16 * 1024 * 1024]);
        var flush = output.FlushAsync();
        Assert.False(flush.IsCompleted);

        _server.Abort(new ConnectionAbortedException("test"));

        await Assert.ThrowsAsync<ConnectionAbortedException>(async () => await parked);
        Assert.True((await flush).IsCompleted);
        Assert.False(output.HoldsBuffer);
    }

    [Fact]
    public void PeerAddressesReadFromTheKernelsSocketAddresses()
    {
        // sockaddr_in: family 2, port 4242 big-endian, 192.0.2.7.
        byte[] v4 = [2, 0, 0x10, 0x92, 192, 0, 2, 7, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 4242), SocketPeer.Read(v4).ToEndPoint());

        // sockaddr_in6: family 10, port 1400, flow info, 2001:db8::1, scope id 0.
        var v6 = new byte[28];
        v6[0] = 10;
        v6[2] = 0x05;
        v6[3] = 0x78;
        IPAddress.Parse("2001:db8::1").GetAddressBytes().CopyTo(v6, 8);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 1400), SocketPeer.Read(v6).ToEndPoint());

        Assert.Null(SocketPeer.Read([1, 0]).ToEndPoint()); // AF_UNIX: not a TCP peer.
    }

    private static string Text(ReadOnlySequence<byte> buffer) => Encoding.ASCII.GetString(buffer.ToArray());
}
