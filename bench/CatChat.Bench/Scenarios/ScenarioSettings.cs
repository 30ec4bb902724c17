namespace CatChat.Bench.Scenarios;

/// <summary>What every run of a matrix shares: timings, window, parallelism, pinning.</summary>
internal sealed record ScenarioSettings
{
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Measure { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Closed loop: messages of one sender not yet received by every receiver.</summary>
    public int Window { get; init; } = 32;

    public int Senders { get; init; } = 10;

    /// <summary>Connections opened at once while setting up (servers have an accept backlog).</summary>
    public int ConnectParallelism { get; init; } = 64;

    /// <summary>Connect scenario: clients connecting and closing in a loop at once.</summary>
    public int ConnectWorkers { get; init; } = 16;

    /// <summary>How long a closed-loop sender waits for a window slot before it reports a stall and stops.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After sending stops, how long receivers get to receive what is still on its way.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Idle: at most this many clients per load-generator process (null: what its open-files limit allows). Forces
    /// the spread over processes at an N one process could hold, to test it.
    /// </summary>
    public int? MaxClientsPerProcess { get; init; }

    public int? PinServer { get; init; }

    public int? PinLoadgen { get; init; }
}
