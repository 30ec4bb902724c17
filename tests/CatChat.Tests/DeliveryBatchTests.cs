using System.IO.Pipelines;
using System.Text;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Sessions;

namespace CatChat.Tests;

public class DeliveryBatchTests
{
    [Fact]
    public void OutsideABatchNothingIsDeferred()
    {
        var flush = new CountingFlush();

        Assert.False(DeliveryBatch.TryDefer(flush));
        Assert.Equal(0, flush.Starts);
    }

    [Fact]
    public void DeferredFlushesStartOnceTheOutermostBatchEnds()
    {
        var first = new CountingFlush();
        var second = new CountingFlush();
        using (DeliveryBatch.Begin())
        {
            Assert.True(DeliveryBatch.TryDefer(first));
            using (DeliveryBatch.Begin())
            {
                Assert.True(DeliveryBatch.TryDefer(second));
            }

            Assert.Equal((0, 0), (first.Starts, second.Starts)); // The inner batch's end is not the fan-out's.
        }

        Assert.Equal((1, 1), (first.Starts, second.Starts));

        // The batch is over: the next flush starts at once, and the ones already started are not started again.
        Assert.False(DeliveryBatch.TryDefer(first));
        Assert.Equal((1, 1), (first.Starts, second.Starts));
    }

    [Fact]
    public void ABatchLeftByAnExceptionStillStartsItsFlushes()
    {
        var flush = new CountingFlush();

        Assert.Throws<InvalidOperationException>(() => FailInsideABatch(flush));

        Assert.Equal(1, flush.Starts);
        Assert.False(DeliveryBatch.TryDefer(flush));
    }

    [Fact]
    public async Task ALaneAskedToFlushDuringABatchSendsEveryRecipientsLinesWhenItEnds()
    {
        var lane = new FlushLane();
        var pipes = new[] { new Pipe(), new Pipe(), new Pipe() };
        var outboxes = pipes.Select(pipe =>
        {
            var outbox = new Outbox(1024, new RecordingConnection(), lane: lane);
            outbox.Start(pipe.Writer);
            return outbox;
        }).ToArray();

        using (DeliveryBatch.Begin())
        {
            foreach (var outbox in outboxes)
            {
                Assert.True(outbox.TryEnqueue(LineEncoder.Encode("hello")));
            }

            // The lane's work would have been queued at the first line: it waits for the batch's end instead, once.
            Assert.Equal(1, DeliveryBatch.Deferred);
        }

        foreach (var pipe in pipes)
        {
            var result = await pipe.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("hello\r\n", Encoding.UTF8.GetString(result.Buffer));
            pipe.Reader.AdvanceTo(result.Buffer.End);
        }
    }

    private static void FailInsideABatch(IDeferredFlush flush)
    {
        using var batch = DeliveryBatch.Begin();
        DeliveryBatch.TryDefer(flush);
        throw new InvalidOperationException("a recipient failed");
    }

    private sealed class CountingFlush : IDeferredFlush
    {
        public int Starts { get; private set; }

        public void Start() => Starts++;
    }
}
