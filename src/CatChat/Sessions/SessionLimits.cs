namespace CatChat.Sessions;

/// <summary>
/// What every front door's sessions are held to: connection caps, flood control, the send queue, timers and TCP
/// keepalive. Follows the configuration file while running: each connection takes the values in force when it arrives.
/// </summary>
public sealed class SessionLimits
{
    /// <summary>Lines a client may send at once before flood control delays it; 0 turns flood control off.</summary>
    public int FloodBurst { get; set; } = 20;

    public double FloodLinesPerSecond { get; set; } = 5;

    /// <summary>A client held back by flood control for this long without a pause is disconnected.</summary>
    public TimeSpan FloodDisconnectAfter { get; set; } = TimeSpan.FromSeconds(60);

    public int SendQueueBytes { get; set; } = 1024 * 1024;

    public int MaxConnections { get; set; } = 10_000;

    public int MaxConnectionsPerIp { get; set; } = 10;

    public bool LoopbackExempt { get; set; } = true;

    /// <summary>Zero means no idle timeout.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>How long the join notice waits for the first line, so a browser's HTTP request is refused unannounced.</summary>
    public TimeSpan JoinAnnounceDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan KeepAliveTime { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    public int KeepAliveProbes { get; set; } = 6;
}
