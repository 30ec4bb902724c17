namespace CatChat.Bench.Reporting;

/// <summary>
/// One run of one scenario on one target: a line of the results file (snake_case JSON). Figures a scenario does not
/// measure stay null and are left out of the line.
/// </summary>
internal sealed record RunResult
{
    public string Scenario { get; init; } = "";

    public string Target { get; init; } = "";

    public int N { get; init; }

    public int Senders { get; init; }

    /// <summary>Rooms scenario: rooms, and members of each (N = rooms × members).</summary>
    public int? Rooms { get; init; }

    public int? Members { get; init; }

    public int Size { get; init; }

    /// <summary>Total messages per second over all senders; 0 for closed loop.</summary>
    public double Rate { get; init; }

    public int Window { get; init; }

    public int Repeat { get; init; }

    public double WarmupS { get; init; }

    public double MeasureS { get; init; }

    public string Timestamp { get; init; } = "";

    public int? PinServer { get; init; }

    public int? PinLoadgen { get; init; }

    public double? ConnectS { get; init; }

    public long? Deliveries { get; init; }

    public double? DeliveriesPerS { get; init; }

    public long? Sent { get; init; }

    public double? SendsPerS { get; init; }

    public double? P50Us { get; init; }

    public double? P90Us { get; init; }

    public double? P99Us { get; init; }

    public double? P999Us { get; init; }

    public double? MaxUs { get; init; }

    public double? MeanUs { get; init; }

    /// <summary>Cluster runs: latency of deliveries on the sender's node and of those that crossed nodes.</summary>
    public double? P50LocalUs { get; init; }

    public double? P99LocalUs { get; init; }

    public double? P50RemoteUs { get; init; }

    public double? P99RemoteUs { get; init; }

    public long? Losses { get; init; }

    public long? Duplicates { get; init; }

    public long? Reorders { get; init; }

    public long? Malformed { get; init; }

    /// <summary>Rooms scenario: messages that reached a client outside their room, or came as a line of another room. Must be 0.</summary>
    public long? Misrouted { get; init; }

    public bool? Stalled { get; init; }

    public int? Disconnected { get; init; }

    public double? ServerCpuS { get; init; }

    public long? ServerPeakRssKb { get; init; }

    public long? ServerRssKb { get; init; }

    public double? LoadgenCpuS { get; init; }

    public bool? LoadgenSaturated { get; init; }

    /// <summary>
    /// Where latency was taken: "socket" (the kernel's stamp of the bytes' arrival at the receiving socket, so the load
    /// generator's own delay is left out), "read" (when the load generator read them) or "mixed".
    /// </summary>
    public string? LatencyEndsAt { get; init; }

    /// <summary>The load generator's own delay between a delivery reaching the socket and its reading it, p99, µs.</summary>
    public double? ReadLagP99Us { get; init; }

    public long? RssBeforeKb { get; init; }

    public long? RssAfterKb { get; init; }

    public double? KbPerConnection { get; init; }

    public long? Connections { get; init; }

    public double? ConnectsPerS { get; init; }

    public long? Failures { get; init; }

    public string? Error { get; init; }
}
