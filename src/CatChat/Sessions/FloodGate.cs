namespace CatChat.Sessions;

/// <summary>
/// Per-connection flood control: a token bucket of <c>burst</c> lines refilled at <c>rate</c> lines per
/// second. A line beyond the allowance is not dropped: the caller waits the returned delay before
/// handling it (and reads nothing meanwhile, so TCP pushes back on the sender, like IRC's fakelag).
/// </summary>
internal sealed class FloodGate(int burst, double linesPerSecond, TimeSpan disconnectAfter, TimeProvider time)
{
    private double _tokens = burst;
    private long _refilledAt = time.GetTimestamp();
    private long? _throttledSince;

    public bool Enabled => burst > 0;

    /// <summary>True when the client has been held back continuously for longer than the bound.</summary>
    public bool FloodingTooLong =>
        _throttledSince is { } since && time.GetElapsedTime(since) >= disconnectAfter;

    /// <summary>True when the last line was the first to wait in this throttled spell: the moment to tell the sender.</summary>
    public bool JustStartedThrottling { get; private set; }

    /// <summary>
    /// Spends one line's token; returns how long to wait before handling the line (zero: at once).
    /// <paramref name="senderPaused"/> says whether the sender went quiet before this line (the server had
    /// to wait for it). Only such a pause, long enough to refill the burst, ends a throttled spell: a line
    /// already queued behind the last one belongs to the same flood, however late the server's timer woke.
    /// </summary>
    public TimeSpan Take(bool senderPaused = false)
    {
        if (!Enabled)
        {
            return TimeSpan.Zero;
        }

        var now = time.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_refilledAt, now).TotalSeconds * linesPerSecond));
        _refilledAt = now;

        // A real pause: nothing was queued, and long enough for the whole burst to come back.
        if (senderPaused && _tokens >= burst)
        {
            _throttledSince = null;
        }
        _tokens -= 1;
        JustStartedThrottling = false;
        if (_tokens >= 0)
        {
            return TimeSpan.Zero;
        }

        JustStartedThrottling = _throttledSince is null;
        _throttledSince ??= now;
        return TimeSpan.FromSeconds(-_tokens / linesPerSecond);
    }
}
