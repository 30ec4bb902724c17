using Microsoft.Extensions.Time.Testing;

namespace CatChat.Tests;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows who waits on it: every timer set to a time ahead and not yet fired,
/// changed off or disposed is a waiter (a <c>Task.Delay</c> on this clock is one). A test can wait until the code
/// under test waits on the clock before moving it, and learn whether a move woke anything.
/// </summary>
internal sealed class WatchedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly HashSet<WatchedTimer> _armed = [];
    private TaskCompletionSource _waitedOn = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _fired;

    /// <summary>How many timer callbacks have run; <see cref="FakeTimeProvider.Advance(TimeSpan)"/> runs them before it returns.</summary>
    public int Fired => Volatile.Read(ref _fired);

    /// <summary>Completes once some timer is armed, at once if one is.</summary>
    public Task WaitedOn
    {
        get
        {
            lock (_gate)
            {
                return _waitedOn.Task;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new WatchedTimer(this);
        timer.Inner = base.CreateTimer(
            firing =>
            {
                Fire(timer);
                callback(firing);
            },
            state,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    // Counted only once the base clock has the timer: a test woken by the count may move the clock at once.
    private void Set(WatchedTimer timer, TimeSpan dueTime, TimeSpan period, int firedBefore)
    {
        lock (_gate)
        {
            timer.Period = period;
            var spent = timer.Firings != firedBefore && period == Timeout.InfiniteTimeSpan;
            if (dueTime == Timeout.InfiniteTimeSpan || dueTime <= TimeSpan.Zero || spent)
            {
                // Off, due at once (it needs no clock to move), or already fired.
                Disarm(timer);
                return;
            }

            _armed.Add(timer);
            _waitedOn.TrySetResult();
        }
    }

    private void Fire(WatchedTimer timer)
    {
        Interlocked.Increment(ref _fired);
        lock (_gate)
        {
            timer.Firings++;
            if (timer.Period == Timeout.InfiniteTimeSpan)
            {
                Disarm(timer);
            }
        }
    }

    private void Disarm(WatchedTimer timer)
    {
        if (_armed.Remove(timer) && _armed.Count == 0)
        {
            _waitedOn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private sealed class WatchedTimer(WatchedClock clock) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        // Both under the clock's lock.
        public TimeSpan Period { get; set; } = Timeout.InfiniteTimeSpan;

        public int Firings { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            int firedBefore;
            lock (clock._gate)
            {
                firedBefore = Firings;
            }

            var changed = Inner.Change(dueTime, period);
            clock.Set(this, dueTime, period, firedBefore);
            return changed;
        }

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock.Disarm(this);
            }

            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
