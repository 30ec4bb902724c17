using CatChat.Transport;

namespace CatChat.Tests;

public sealed class WakeDeferralTests
{
    private sealed class CountingWakeable : IWakeable
    {
        public int Wakes { get; private set; }

        public void Wake() => Wakes++;
    }

    [Fact]
    public void OutsideAScopeNothingIsPutOff()
    {
        var ring = new CountingWakeable();

        Assert.False(WakeDeferral.TryDefer(ring));
        Assert.Equal(0, ring.Wakes);
    }

    [Fact]
    public void InAScopeEachTargetIsWokenOnceAtItsEnd()
    {
        var first = new CountingWakeable();
        var second = new CountingWakeable();
        using (WakeDeferral.Begin())
        {
            for (var i = 0; i < 1000; i++)
            {
                Assert.True(WakeDeferral.TryDefer(i % 2 == 0 ? first : second));
            }

            Assert.Equal(0, first.Wakes + second.Wakes);
        }

        Assert.Equal((1, 1), (first.Wakes, second.Wakes));
        Assert.False(WakeDeferral.TryDefer(first)); // The scope is over.
    }

    [Fact]
    public void AScopeBelongsToItsThreadAlone()
    {
        var ring = new CountingWakeable();
        using (WakeDeferral.Begin())
        {
            var elsewhere = true;
            var other = new Thread(() => elsewhere = WakeDeferral.TryDefer(ring));
            other.Start();
            other.Join();
            Assert.False(elsewhere);
        }

        Assert.Equal(0, ring.Wakes);
    }
}
