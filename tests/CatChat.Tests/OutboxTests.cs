using System.IO.Pipelines;
using System.Text;
using CatChat.Protocol;
using CatChat.Sessions;

namespace CatChat.Tests;

public class OutboxTests
{
    [Fact]
    public async Task LinesQueuedBeforeTheWriterRunsLeaveInOneFlush()
    {
        var pipe = new Pipe();
        var outbox = new Outbox(1024, new RecordingConnection());
        outbox.TryEnqueue(LineEncoder.Encode("one"));
        outbox.TryEnqueue(LineEncoder.Encode("two"));
        outbox.TryEnqueue(LineEncoder.Encode("three"));

        outbox.Start(pipe.Writer);
        await outbox.CompleteAsync();

        var result = await pipe.Reader.ReadAsync();
        Assert.Equal("one\r\ntwo\r\nthree\r\n", Encoding.UTF8.GetString(result.Buffer));
        Assert.Equal(0, outbox.PendingBytes);
    }

    [Fact]
    public async Task ALastLineLeavesAfterWhatWasQueuedBeforeItAndNothingAfterIt()
    {
        var pipe = new Pipe();
        var outbox = new Outbox(1024, new RecordingConnection());
        outbox.TryEnqueue(LineEncoder.Encode("before"));

        Assert.True(outbox.TryEnqueueLast(LineEncoder.Encode("last")));
        Assert.False(outbox.TryEnqueue(LineEncoder.Encode("after")));
        outbox.Start(pipe.Writer);
        await outbox.CompleteAsync();

        var result = await pipe.Reader.ReadAsync();
        Assert.Equal("before\r\nlast\r\n", Encoding.UTF8.GetString(result.Buffer));
    }

    [Fact]
    public void PassingTheCapReportsOverflowOnceAndRefusesMore()
    {
        var owner = new RecordingConnection();
        var outbox = new Outbox(10, owner);
        var line = LineEncoder.Encode("1234"); // 6 bytes with CRLF

        Assert.True(outbox.TryEnqueue(line));
        Assert.False(outbox.TryEnqueue(line));
        Assert.False(outbox.TryEnqueue(LineEncoder.Encode("")));
        Assert.Equal(1, owner.SlowConsumerCount);
    }

    [Fact]
    public async Task AbortEndsWritingAtOnceEvenWhileTheTransportIsFull()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 8, resumeWriterThreshold: 4));
        var outbox = new Outbox(1 << 20, new RecordingConnection());
        outbox.Start(pipe.Writer);
        outbox.TryEnqueue(LineEncoder.Encode(new string('x', 100)));
        outbox.TryEnqueue(LineEncoder.Encode("never sent"));

        var drained = outbox.CompleteAsync();
        Assert.False(drained.IsCompleted); // Nobody reads the pipe: the flush waits.
        outbox.Abort();

        await drained;
        Assert.Equal(0, outbox.PendingBytes);
        Assert.False(outbox.TryEnqueue(LineEncoder.Encode("too late")));
    }

    [Fact]
    public async Task LinesQueuedWhileAFlushWaitsLeaveOnceTheReaderCatchesUp()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 64, resumeWriterThreshold: 32));
        var outbox = new Outbox(1 << 20, new RecordingConnection());
        outbox.Start(pipe.Writer);
        var expected = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            var line = $"line {i}";
            outbox.TryEnqueue(LineEncoder.Encode(line));
            expected.Append(line).Append("\r\n");
        }

        var drained = outbox.CompleteAsync();
        var received = new StringBuilder();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync();
            received.Append(Encoding.UTF8.GetString(result.Buffer));
            pipe.Reader.AdvanceTo(result.Buffer.End);
            if (received.Length >= expected.Length)
            {
                break;
            }
        }

        await drained;
        Assert.Equal(expected.ToString(), received.ToString());
    }
}
