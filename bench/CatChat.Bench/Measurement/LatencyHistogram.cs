using System.Diagnostics;

namespace CatChat.Bench.Measurement;

/// <summary>
/// A log-linear histogram of durations in <see cref="Stopwatch"/> ticks, after HdrHistogram: values below 128
/// are counted exactly; above, each power of two is split into 64 equal buckets, so a reported percentile is
/// within 1/128 (0.8 %) of the true value (the bucket's midpoint is reported). Not thread-safe: each thread
/// records into its own, and they are merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 64;
    private const int LinearLimit = 2 * SubBuckets;
    private const int Exponents = 64 - 7;

    private readonly long[] _counts = new long[LinearLimit + (Exponents * SubBuckets)];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public double Sum { get; private set; }

    public void Record(long ticks)
    {
        if (ticks < 0)
        {
            ticks = 0; // clocks of one machine; a negative difference is rounding, not time travel
        }

        _counts[IndexOf(ticks)]++;
        Count++;
        Sum += ticks;
        if (ticks > Max)
        {
            Max = ticks;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Sum += other.Sum;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1) in ticks; the exact maximum for q = 1.</summary>
    public long ValueAt(double q)
    {
        if (Count == 0)
        {
            return 0;
        }

        if (q >= 1)
        {
            return Max;
        }

        // The smallest value with at least q of the recorded values at or below it.
        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(Midpoint(i), Max);
            }
        }

        return Max;
    }

    public static double ToMicroseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    internal static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }

        // value has 64 - LeadingZeroCount significant bits; keep its top 7 (64..127) and count the shift.
        var shift = 64 - (int)ulong.LeadingZeroCount((ulong)value) - 7;
        var mantissa = (int)(value >> shift);
        return LinearLimit + ((shift - 1) * SubBuckets) + (mantissa - SubBuckets);
    }

    internal static long Midpoint(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var shift = ((index - LinearLimit) / SubBuckets) + 1;
        var mantissa = ((index - LinearLimit) % SubBuckets) + SubBuckets;
        var low = (long)mantissa << shift;
        return low + ((1L << shift) / 2);
    }
}
