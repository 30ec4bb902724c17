using System.IO.Pipelines;
using System.Text;
using CatChat.Protocol;
using CatChat.Sessions;

namespace CatChat.Tests;

/// <summary>An outbox's hold (its cork): what is queued while it is held leaves in one send when it is let go.</summary>
public class OutboxHoldTests
{
    private readonly Pipe _pipe = new();
    private readonly FlushLane _lane = new(manual: true);
    private readonly Outbox _outbox;

    public OutboxHoldTests()
    {
        _outbox = new Outbox(1 << 20, new RecordingConnection(), lane: _lane);
        _outbox.Start(_pipe.Writer);
    }

    [Fact]
    public async Task LinesQueuedWhileHeldLeaveTogetherOnlyOnceLetGo()
    {
        using (_outbox.Hold())
        {
            _outbox.TryEnqueue(LineEncoder.Encode("001"));
            _lane.RunScheduled();
            _outbox.TryEnqueue(LineEncoder.Encode("002"));
            _lane.RunScheduled();
            Assert.False(_pipe.Reader.TryRead(out _));
        }

        _lane.RunScheduled();
        Assert.Equal("001\r\n002\r\n", await ReadOnceAsync());
    }

    [Fact]
    public async Task ALineAlreadyWaitingForItsTurnWaitsForTheHoldToo()
    {
        _outbox.TryEnqueue(LineEncoder.Encode("before"));
        var hold = _outbox.Hold();
        _outbox.TryEnqueue(LineEncoder.Encode("held"));
        _lane.RunScheduled();
        Assert.False(_pipe.Reader.TryRead(out _));

        hold.Dispose();
        _lane.RunScheduled();
        Assert.Equal("before\r\nheld\r\n", await ReadOnceAsync());
    }

    [Fact]
    public async Task HoldsNestAndTheLastOneLetGoSends()
    {
        var outer = _outbox.Hold();
        using (_outbox.Hold())
        {
            _outbox.TryEnqueue(LineEncoder.Encode("one"));
        }

        _lane.RunScheduled();
        Assert.False(_pipe.Reader.TryRead(out _));

        outer.Dispose();
        _lane.RunScheduled();
        Assert.Equal("one\r\n", await ReadOnceAsync());
    }

    [Fact]
    public async Task CompletingSendsWhatIsHeld()
    {
        _ = _outbox.Hold();
        _outbox.TryEnqueue(LineEncoder.Encode("goodbye"));

        var drained = _outbox.CompleteAsync();
        _lane.RunScheduled();
        await drained;
        Assert.Equal("goodbye\r\n", await ReadOnceAsync());
    }

    [Fact]
    public void LettingGoWithNothingQueuedSendsNothing()
    {
        _outbox.Hold().Dispose();
        _lane.RunScheduled();
        Assert.False(_pipe.Reader.TryRead(out _));
    }

    private async Task<string> ReadOnceAsync()
    {
        var result = await _pipe.Reader.ReadAsync();
        var text = Encoding.UTF8.GetString(result.Buffer);
        _pipe.Reader.AdvanceTo(result.Buffer.End);
        return text;
    }
}
