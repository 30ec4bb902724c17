using System.Diagnostics;

namespace CatChat.Testing;

/// <summary>
/// Waits for a condition that nothing announces, by looking at it again every 50 ms: a counter that background work
/// moves (history lines stored, connections counted out), or what one node has heard of the others. Where an event
/// marks the change (a line the clients see, a log entry), wait for that instead. Bounded: after the timeout it fails,
/// naming what it waited for.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <param name="condition">What to look at.</param>
    /// <param name="what">What the condition means, for the failure: "the 5 lines stored".</param>
    /// <param name="timeoutSeconds">How long to keep looking.</param>
    public static Task TrueAsync(Func<bool> condition, string what, int timeoutSeconds = 30) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeoutSeconds);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 30)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) >= TimeSpan.FromSeconds(timeoutSeconds))
            {
                throw new Xunit.Sdk.XunitException($"Still not so after {timeoutSeconds} s of looking: {what}.");
            }

            await Task.Delay(Interval);
        }
    }
}
