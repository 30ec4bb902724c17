using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace CatChat.IntegrationTests;

/// <summary>
/// What every chat transport promises its session over a real loopback connection: no buffer while idle, bytes in
/// order however the kernel splits them, the peer's end, a full kernel buffer, a reset peer, a cancel and an abort.
/// Each transport's test class provides the connection.
/// </summary>
public abstract class TransportContractTests : IAsyncLifetime
{
    private protected Socket Client { get; set; } = null!;

    private protected abstract PipeReader Input { get; }

    private protected abstract PipeWriter Output { get; }

    private protected abstract bool InputHoldsBuffer { get; }

    private protected abstract bool OutputHoldsBuffer { get; }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task IdleReaderHoldsNoBufferAndKeepsAPartialLineUntilItsEnd()
    {
        var input = Input;
        var firstRead = input.ReadAsync();
        Assert.False(firstRead.IsCompleted);
        Assert.False(InputHoldsBuffer);

        await Client.SendAsync("hel"u8.ToArray());
        var partial = await firstRead;
        Assert.Equal("hel", Text(partial.Buffer));

        // Examined but not consumed: the bytes stay, and the next read waits for more.
        input.AdvanceTo(partial.Buffer.Start, partial.Buffer.End);
        Assert.True(InputHoldsBuffer);
        var secondRead = input.ReadAsync();
        Assert.False(secondRead.IsCompleted);

        await Client.SendAsync("lo\n"u8.ToArray());
        var whole = await secondRead;
        Assert.Equal("hello\n", Text(whole.Buffer));

        input.AdvanceTo(whole.Buffer.End);
        Assert.False(InputHoldsBuffer);
    }

    [Fact]
    public async Task ReaderGrowsPastItsFirstBufferForALongUnconsumedRun()
    {
        var input = Input;
        var sent = string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + (i % 26))));
        await Client.SendAsync(Encoding.ASCII.GetBytes(sent));

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
        Client.Shutdown(SocketShutdown.Send);

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
                Assert.False(OutputHoldsBuffer);
            }
        });

        var received = new byte[payload.Length];
        var total = 0;
        while (total < received.Length)
        {
            var count = await Client.ReceiveAsync(received.AsMemory(total));
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
        Client.LingerState = new LingerOption(true, 0);
        Client.Close(); // RST.

        var completed = false;
        for (var attempt = 0; attempt < 100 && !completed; attempt++)
        {
            output.Write(new byte[64 * 1024]);
            completed = (await output.FlushAsync()).IsCompleted;
        }

        Assert.True(completed);
        Assert.False(OutputHoldsBuffer);
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
        await Client.SendAsync("after\n"u8.ToArray());
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

        AbortServer();

        await Assert.ThrowsAsync<ConnectionAbortedException>(async () => await parked);
        Assert.True((await flush.AsTask().WaitAsync(TimeSpan.FromSeconds(10))).IsCompleted);
        Assert.False(OutputHoldsBuffer);
    }

    private protected abstract void AbortServer();

    private protected static string Text(ReadOnlySequence<byte> buffer) => Encoding.ASCII.GetString(buffer.ToArray());
}
