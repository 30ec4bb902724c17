using CatChat.Bench.Measurement;

namespace CatChat.Bench.Scenarios;

/// <summary>One receive thread's share of the measured deliveries: no sharing, no locks; merged at the end.</summary>
internal sealed class ThreadTally
{
    public LatencyHistogram Latency { get; } = new();

    public long Deliveries { get; set; }
}
