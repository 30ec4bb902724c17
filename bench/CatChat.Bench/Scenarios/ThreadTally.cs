using CatChat.Bench.Measurement;

namespace CatChat.Bench.Scenarios;

/// <summary>One receive thread's share of the measured deliveries: no sharing, no locks; merged at the end.</summary>
internal sealed class ThreadTally
{
    public LatencyHistogram Latency { get; } = new();

    /// <summary>In a cluster: deliveries to a client on the sender's own node.</summary>
    public LatencyHistogram LocalLatency { get; } = new();

    /// <summary>In a cluster: deliveries that crossed to another node through Redis.</summary>
    public LatencyHistogram RemoteLatency { get; } = new();

    /// <summary>How long after reaching the socket each delivery was read: the load generator's own delay, not in <see cref="Latency"/>.</summary>
    public LatencyHistogram ReadLag { get; } = new();

    public long Deliveries { get; set; }
}
