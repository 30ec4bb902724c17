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
    public async Task AnIdleLaneSendsAtOnce() => await SentOneTurnAsync();

    [Fact]
    public async Task LinesWithinTheHoldOfTheLastTurnLeaveTogetherWhenItPasses()
    {
        var outbox = await SentOneTurnAsync();

        // Whether the first turn has ended or is still looking for more work, it starts no pass before the hold.
        outbox.TryEnqueue(LineEncoder.Encode("two"));
        outbox.TryEnqueue(LineEncoder.Encode("three"));
        _time.Advance(Hold / 2);
        Assert.False(_pipe.Reader.TryRead(out _));

        _time.Advance(Hold / 2);
        Assert.Equal("two\r\nthree\r\n", await ReadAsync()); // One flush for both.
    }

    [Fact]
    public async Task ALaneQuietForLongerThanTheHoldSendsAtOnce()
    {
        var outbox = await SentOneTurnAsync();

        _time.Advance(Hold);
        outbox.TryEnqueue(LineEncoder.Encode("two"));

        Assert.Equal("two\r\n", await ReadAsync()); // No further Advance: nothing holds it.
    }

    // An outbox on a lane with the hold, whose first line has gone out at once (the lane had never run).
    private async Task<Outbox> SentOneTurnAsync()
    {
        var lane = new FlushLane(manual: false, coalescer: null, Hold, _time);
        var outbox = new Outbox(1024, new RecordingConnection(), lane: lane);
        outbox.Start(_pipe.Writer);
        outbox.TryEnqueue(LineEncoder.Encode("one"));
        Assert.Equal("one\r\n", await ReadAsync());
        return outbox;
    }

    private async Task<string> ReadAsync()
    {
        var result = await _pipe.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var text = Encoding.UTF8.GetString(result.Buffer);
        _pipe.Reader.AdvanceTo(result.Buffer.End);
        return text;
    }
}
