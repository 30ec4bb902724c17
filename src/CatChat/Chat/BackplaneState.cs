namespace CatChat.Chat;

/// <summary>How this node stands with the other nodes of its cluster.</summary>
public enum BackplaneState
{
    /// <summary>A single node: no backplane is configured.</summary>
    Off,

    /// <summary>Started, not yet joined to the cluster.</summary>
    Connecting,

    /// <summary>Joined: lines reach every node.</summary>
    Whole,

    /// <summary>The bus is unreachable: this node serves its own users alone until it is back.</summary>
    Split,
}
