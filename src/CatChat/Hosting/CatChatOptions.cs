using System.Net;
using System.Net.Sockets;
using CatChat.Protocol;

namespace CatChat.Hosting;

/// <summary>Every setting of CatChat, with its default. <see cref="SettingsCatalog"/> reads and documents them.</summary>
public sealed class CatChatOptions
{
    public int ChatPort { get; set; } = 1400;
    public string Bind { get; set; } = "*";
    public int HttpPort { get; set; } = 8080;
    public string HttpBind { get; set; } = "127.0.0.1";
    public string DataDir { get; set; } = "./data";
    public string Banner { get; set; } = "Welcome to CatChat!";

    public int MaxLineBytes { get; set; } = LineFramer.DefaultMaxLineBytes;
    public int NickMaxLength { get; set; } = NicknamePolicy.DefaultMaxLength;
    public IReadOnlyList<string> ReservedNicks { get; set; } = NicknamePolicy.DefaultReserved;

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

    /// <summary>False: nobody is told of joins and departures (with ten thousand users, each is ten thousand lines).</summary>
    public bool PresenceNotices { get; set; } = true;

    /// <summary>How long the join notice waits for the first line, so a browser's HTTP request is refused unannounced.</summary>
    public TimeSpan JoinAnnounceDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan KeepAliveTime { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);
    public int KeepAliveProbes { get; set; } = 6;

    /// <summary>
    /// "auto": epoll, and io_uring direct descriptors for connections past the process's open-files limit;
    /// "epoll" or "io_uring": that one alone.
    /// </summary>
    public string ChatTransport { get; set; } = "auto";

    /// <summary>True: the flush lanes hand a broadcast's sends to the kernel in one io_uring call (see <c>Transport/SendBatch</c>).</summary>
    public bool SendBatching { get; set; } = true;

    public int TlsPort { get; set; } = 6697;

    /// <summary>TLS chat is served when a certificate is configured.</summary>
    public bool TlsEnabled => TlsCertificate.Length > 0;
    public string TlsCertificate { get; set; } = "";
    public string TlsKey { get; set; } = "";
    public string TlsCertificatePassword { get; set; } = "";

    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>"text" (one line per event) or "json" (one JSON object per line, for log shippers).</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>Empty: SQLite in the data directory. Otherwise a PostgreSQL connection string (or a SQLite "Data Source=...").</summary>
    public string Database { get; set; } = "";

    /// <summary>Lines of history a new login is shown; 0 turns it off.</summary>
    public int HistoryReplay { get; set; } = 10;

    /// <summary>History lines that may wait for the database before the oldest are dropped.</summary>
    public int HistoryQueue { get; set; } = 10_000;

    /// <summary>History older than this is pruned; zero keeps it forever.</summary>
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>True: private messages are stored in the history too (never shown to a new login).</summary>
    public bool HistoryPrivate { get; set; }

    /// <summary>At most this many history lines are kept.</summary>
    public int HistoryMaxRows { get; set; } = 1_000_000;

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
    /// <summary>
    /// Reverse proxies (addresses, or networks in CIDR form) whose X-Forwarded-For and X-Forwarded-Proto are
    /// believed; from anyone else those headers are ignored. Empty: none.
    /// </summary>
    public IReadOnlyList<string> TrustedProxies { get; set; } = [];

    /// <summary><see cref="TrustedProxies"/> as networks; a single address is a network of one.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxyNetworks =>
        TrustedProxies.Select(entry => TryParseNetwork(entry, out var network) ? network : throw new FormatException(entry + " is not an IP network")).ToArray();

    /// <summary>Reads an address (<c>10.0.0.1</c>) or a network in CIDR form (<c>10.0.0.0/8</c>).</summary>
    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(slash < 0 ? text : text.AsSpan(0, slash), out var address))
        {
            return false;
        }

        if (slash < 0)
        {
            network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        // Strict: "10.0.0.1/8" is refused rather than read as 10.0.0.0/8, since it is more likely a typo than meant.
        return IPNetwork.TryParse(text, out network) && address.Equals(network.BaseAddress);
    }

    /// <summary>Keeps the characters a node name may have (ASCII letters, digits, '.', '_', '-'), at most 64.</summary>
    public static string SafeNodeName(string name)
    {
        var safe = new string(name.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-').Take(64).ToArray());
        return safe.Length > 0 ? safe : "node";
    }
}
