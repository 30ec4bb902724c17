using CatChat.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace CatChat.Tests;

public class FloodGateTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2031, 7, 9, 3, 0, 0, TimeSpan.Zero));

    [Fact]
    public void BurstPassesAtOnceThenLinesWaitForTheRate()
    {
        var gate = new FloodGate(burst: 3, linesPerSecond: 2, TimeSpan.FromMinutes(1), _time);

        Assert.Equal(TimeSpan.Zero, gate.Take());
        Assert.Equal(TimeSpan.Zero, gate.Take());
        Assert.Equal(TimeSpan.Zero, gate.Take());
        Assert.Equal(TimeSpan.FromSeconds(0.5), gate.Take());
        Assert.True(gate.JustStartedThrottling);
        Assert.Equal(TimeSpan.FromSeconds(1), gate.Take());
        Assert.False(gate.JustStartedThrottling);
    }

    [Fact]
    public void TokensRefillWithTimeUpToTheBurst()
    {
        var gate = new FloodGate(burst: 2, linesPerSecond: 1, TimeSpan.FromMinutes(1), _time);
        gate.Take();
        gate.Take();

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.Zero, gate.Take());
        Assert.Equal(TimeSpan.Zero, gate.Take());
        Assert.True(gate.Take() > TimeSpan.Zero);
    }

    [Fact]
    public void ContinuousThrottlingPastTheBoundIsFloodingTooLong()
    {
        var gate = new FloodGate(burst: 1, linesPerSecond: 1, TimeSpan.FromSeconds(5), _time);
        gate.Take();

        // A sender that always has the next line ready: each line waits its turn, then the next comes.
        for (var second = 0; second < 5; second++)
        {
            var wait = gate.Take();
            Assert.True(wait > TimeSpan.Zero);
            Assert.False(gate.FloodingTooLong);
            _time.Advance(wait);
        }

        gate.Take();
        Assert.True(gate.FloodingTooLong);
    }

    [Fact]
    public void APauseEndsTheThrottledSpell()
    {
        var gate = new FloodGate(burst: 1, linesPerSecond: 1, TimeSpan.FromSeconds(5), _time);
        gate.Take();
        gate.Take();
        _time.Advance(TimeSpan.FromSeconds(4));
        gate.Take();
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.Zero, gate.Take(senderPaused: true));
        Assert.True(gate.Take() > TimeSpan.Zero);
        Assert.True(gate.JustStartedThrottling);
        Assert.False(gate.FloodingTooLong);
    }

    [Fact]
    public void ZeroBurstTurnsFloodControlOff()
    {
        var gate = new FloodGate(burst: 0, linesPerSecond: 1, TimeSpan.FromSeconds(5), _time);

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(TimeSpan.Zero, gate.Take());
        }
    }

    [Fact]
    public void ALineQueuedBehindTheLastStaysInTheSpellHoweverLateTheTimerWoke()
    {
        var gate = new FloodGate(burst: 3, linesPerSecond: 10, TimeSpan.FromSeconds(5), _time);
        gate.Take();
        gate.Take();
        gate.Take();
        gate.Take();
        Assert.True(gate.JustStartedThrottling);

        // The server's timer woke ten seconds late: the bucket is full again, but the sender never paused.
        _time.Advance(TimeSpan.FromSeconds(10));
        gate.Take();
        gate.Take();
        gate.Take();
        Assert.True(gate.Take() > TimeSpan.Zero);

        Assert.False(gate.JustStartedThrottling);
        Assert.True(gate.FloodingTooLong);
    }
}
