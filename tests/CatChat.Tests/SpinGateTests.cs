using CatChat.Sessions;

namespace CatChat.Tests;

public class SpinGateTests
{
    private SpinGate _gate;
    private long _unguarded;

    [Fact]
    public async Task ExcludesEveryOtherThreadWhileHeld()
    {
        const int Threads = 4;
        const int Increments = 200_000;

        // A read-modify-write that loses updates unless the gate keeps the threads apart.
        var workers = Enumerable.Range(0, Threads).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < Increments; i++)
            {
                using (_gate.Enter())
                {
                    var seen = _unguarded;
                    Thread.SpinWait(1);
                    _unguarded = seen + 1;
                }
            }
        }));
        await Task.WhenAll(workers);

        Assert.Equal(Threads * Increments, _unguarded);
    }

    [Fact]
    public async Task IsFreeAgainAfterAnExceptionInsideIt()
    {
        Assert.Throws<InvalidOperationException>(void () =>
        {
            using (_gate.Enter())
            {
                throw new InvalidOperationException("inside");
            }
        });

        var entered = Task.Run(() =>
        {
            using (_gate.Enter())
            {
                return true;
            }
        });
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
