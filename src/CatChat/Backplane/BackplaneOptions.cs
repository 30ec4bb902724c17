namespace CatChat.Backplane;

/// <summary>How this node joins the others through Redis. Read at start.</summary>
public sealed class BackplaneOptions
{
    /// <summary>Empty: a single node. Otherwise the Redis server (host:port, or a StackExchange.Redis configuration) that joins the nodes.</summary>
    public string Redis { get; set; } = "";

    /// <summary>This node's name in the cluster; empty: the machine's host name.</summary>
    public string NodeName { get; set; } = "";

    /// <summary>How often a node tells the cluster it is alive and refreshes its users' presence.</summary>
    public TimeSpan RedisHeartbeat { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A node not heard from for this long is gone, and its users with it; its keys in Redis expire after it too.</summary>
    public TimeSpan RedisPresenceTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages and presence writes that may wait for Redis before new ones are dropped.</summary>
    public int RedisQueue { get; set; } = 10_000;

    /// <summary>The node name in use: <see cref="NodeName"/>, or the host name made safe for one.</summary>
    public string EffectiveNodeName => NodeName.Length > 0 ? NodeName : SafeNodeName(Environment.MachineName);

    /// <summary>Keeps the characters a node name may have (ASCII letters, digits, '.', '_', '-'), at most 64.</summary>
    public static string SafeNodeName(string name)
    {
        var safe = new string(name.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-').Take(64).ToArray());
        return safe.Length > 0 ? safe : "node";
    }
}
