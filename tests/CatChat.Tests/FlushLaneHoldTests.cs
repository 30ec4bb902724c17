using System.IO.Pipelines;
using System.Text;
using CatChat.Protocol;
using CatChat.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace CatChat.Tests;

public class FlushLaneHoldTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromMilliseconds(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2031, 7, 9, 3, 0, 0, TimeSpan.Zero));
    private readonly Pipe _pipe = new();

    [Fact]
    public async Task AnIdleLaneSendsAtOnce()
    {
        var (lane, outbox) = Start();

        outbox.TryEnqueue(LineEncoder.Encode("one"));

        Assert.Equal("one\r\n", await ReadAsync());
        await QuietAsync(lane);
    }

    [Fact]
    public async Task LinesWithinTheHoldOfTheLastTurnLeaveTogetherWhenItPasses()
    {
        var (lane, outbox) = Start();
        outbox.TryEnqueue(LineEncoder.Encode("one"));
        Assert.Equal("one\r\n", await ReadAsync());
        await QuietAsync(lane);

        outbox.TryEnqueue(LineEncoder.Encode("two"));
        outbox.TryEnqueue(LineEncoder.Encode("three"));
        _time.Advance(Hold / 2);
        Assert.False(_pipe.Reader.TryRead(out _)); // Held: the last turn started less than the hold ago.

        _time.Advance(Hold / 2);
        Assert.Equal("two\r\nthree\r\n", await ReadAsync()); // One flush for both.
    }

    [Fact]
    public async Task ALaneQuietForLongerThanTheHoldSendsAtOnce()
    {
        var (lane, outbox) = Start();
        outbox.TryEnqueue(LineEncoder.Encode("one"));
        Assert.Equal("one\r\n", await ReadAsync());
        await QuietAsync(lane);

        _time.Advance(Hold);
        outbox.TryEnqueue(LineEncoder.Encode("two"));

        Assert.Equal("two\r\n", await ReadAsync());
    }

    private (FlushLane Lane, Outbox Outbox) Start()
    {
        var lane = new FlushLane(manual: false, coalescer: null, Hold, _time);
        var outbox = new Outbox(1024, new RecordingConnection(), lane: lane);
        outbox.Start(_pipe.Writer);
        return (lane, outbox);
    }

    private async Task<string> ReadAsync()
    {
        var result = await _pipe.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var text = Encoding.UTF8.GetString(result.Buffer);
        _pipe.Reader.AdvanceTo(result.Buffer.End);
        return text;
    }

    // The turn that sent the last line ends on a pool thread just after its flush.
    private static async Task QuietAsync(FlushLane lane)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (lane.Busy)
        {
            Assert.True(DateTime.UtcNow < deadline, "the lane's turn did not end");
            await Task.Delay(1);
        }
    }
}
