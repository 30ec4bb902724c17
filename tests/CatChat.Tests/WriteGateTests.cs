using CatChat.FrontDoors.WebSocket;

namespace CatChat.Tests;

public sealed class WriteGateTests
{
    [Fact]
    public void OneHolderAtATime()
    {
        var gate = new WriteGate();

        Assert.True(gate.TryEnter());
        Assert.True(gate.IsHeld);
        Assert.False(gate.TryEnter());

        gate.Exit();
        Assert.False(gate.IsHeld);
        Assert.True(gate.TryEnter());
    }

    [Fact]
    public async Task WaitersGetItInTheOrderTheyCameAndTheGateNeverLooksFreeBetween()
    {
        var gate = new WriteGate();
        Assert.True(gate.TryEnter());
        var first = gate.EnterAsync().AsTask();
        var second = gate.EnterAsync().AsTask();
        Assert.False(first.IsCompleted);

        gate.Exit();
        await first.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(gate.IsHeld); // Handed over, not let go: nobody could cut in.
        Assert.False(gate.TryEnter());
        Assert.False(second.IsCompleted);

        gate.Exit();
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        gate.Exit();
        Assert.False(gate.IsHeld);
    }

    [Fact]
    public async Task ACancelledWaiterIsPassedOver()
    {
        var gate = new WriteGate();
        Assert.True(gate.TryEnter());
        using var cancel = new CancellationTokenSource();
        var gaveUp = gate.EnterAsync(cancel.Token).AsTask();
        var stays = gate.EnterAsync().AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        gate.Exit();

        await stays.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(gate.IsHeld);
        gate.Exit();
        Assert.False(gate.IsHeld);
    }

    [Fact]
    public async Task UnderContentionNobodyIsEverInsideWithAnother()
    {
        var gate = new WriteGate();
        var inside = 0;
        var overlaps = 0;
        var entries = 0;
        const int Parties = 8;
        const int Rounds = 2_000;

        async Task Party(int index)
        {
            for (var round = 0; round < Rounds; round++)
            {
                // Half take it without waiting when they can, as the session's writer does; the rest queue.
                if (index % 2 == 0 && gate.TryEnter())
                {
                }
                else
                {
                    await gate.EnterAsync();
                }

                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                entries++; // Not atomic on purpose: the gate is what keeps it right.
                if (round % 64 == 0)
                {
                    await Task.Yield();
                }

                Interlocked.Decrement(ref inside);
                gate.Exit();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Parties).Select(index => Task.Run(() => Party(index)))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, overlaps);
        Assert.Equal(Parties * Rounds, entries);
        Assert.False(gate.IsHeld);
    }
}
