namespace CatChat.Chat;

/// <summary>A lock-free histogram of durations with fixed upper bounds, in the Prometheus style (cumulative on export).</summary>
public sealed class LatencyHistogram
{
    private readonly long[] _counts;
    private long _sumTicks;
    private long _count;

    public LatencyHistogram(params double[] upperBoundsSeconds)
    {
        UpperBoundsSeconds = upperBoundsSeconds;
        _counts = new long[upperBoundsSeconds.Length + 1];
    }

    public IReadOnlyList<double> UpperBoundsSeconds { get; }

    public long Count => Interlocked.Read(ref _count);

    public double SumSeconds => TimeSpan.FromTicks(Interlocked.Read(ref _sumTicks)).TotalSeconds;

    public void Record(TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        var bucket = 0;
        while (bucket < UpperBoundsSeconds.Count && seconds > UpperBoundsSeconds[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumTicks, elapsed.Ticks);
        Interlocked.Increment(ref _count);
    }

    /// <summary>Cumulative counts per upper bound, the last one being +Inf.</summary>
    public long[] CumulativeCounts()
    {
        var cumulative = new long[_counts.Length];
        long running = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Interlocked.Read(ref _counts[i]);
            cumulative[i] = running;
        }

        return cumulative;
    }
}
