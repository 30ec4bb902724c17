using System.IO.Pipelines;
using System.Text;
using CatChat.Connections;
using CatChat.Protocol;

namespace CatChat.Tests;

public class OutboxTests
{
    [Fact]
    public async Task LinesQueuedBeforeTheWriterRunsLeaveInOneFlush()
    {
        var pipe = new Pipe();
        var outbox = new Outbox(1024, () => { });
        outbox.TryEnqueue(LineEncoder.Encode("one"));
        outbox.TryEnqueue(LineEncoder.Encode("two"));
        outbox.TryEnqueue(LineEncoder.Encode("three"));
        outbox.Complete();

        await outbox.RunWriterAsync(pipe.Writer, CancellationToken.None);

        var result = await pipe.Reader.ReadAsync();
        Assert.Equal("one\r\ntwo\r\nthree\r\n", Encoding.UTF8.GetString(result.Buffer));
        Assert.Equal(0, outbox.PendingBytes);
    }

    [Fact]
    public void PassingTheCapReportsOverflowOnceAndRefusesMore()
    {
        var overflows = 0;
        var outbox = new Outbox(10, () => overflows++);
        var line = LineEncoder.Encode("1234"); // 6 bytes with CRLF

        Assert.True(outbox.TryEnqueue(line));
        Assert.False(outbox.TryEnqueue(line));
        Assert.False(outbox.TryEnqueue(LineEncoder.Encode("")));
        Assert.Equal(1, overflows);
    }

    [Fact]
    public async Task WriterStopsWhenAborted()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 8, resumeWriterThreshold: 4));
        var outbox = new Outbox(1 << 20, () => { });
        outbox.TryEnqueue(LineEncoder.Encode(new string('x', 100)));
        using var abort = new CancellationTokenSource();

        var writer = outbox.RunWriterAsync(pipe.Writer, abort.Token);
        Assert.False(writer.IsCompleted); // Nobody reads the pipe: the flush waits.
        await abort.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer);
    }
}
