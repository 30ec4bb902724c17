namespace CatChat.Hosting;

/// <summary>The chat ports and how they hold their sockets, the TLS certificate, logging and shutdown. Read at start.</summary>
public sealed class ListenerOptions
{
    public int ChatPort { get; set; } = 1400;

    public string Bind { get; set; } = "*";

    /// <summary>
    /// "auto": epoll, and io_uring direct descriptors for connections past the process's open-files limit;
    /// "epoll" or "io_uring": that one alone.
    /// </summary>
    public string ChatTransport { get; set; } = "auto";

    /// <summary>True: a broadcast's sends to the plain chat port go to the kernel in one io_uring call (see the transport's <c>SendCoalescer</c>).</summary>
    public bool SendBatching { get; set; } = true;

    /// <summary>
    /// Milliseconds a flush lane that is busy waits between turns, so that lines to one recipient arriving meanwhile
    /// leave in one send (see <c>FlushLane</c>); 0 sends each turn at once.
    /// </summary>
    public int SendHoldMs { get; set; }

    /// <summary>Beside the plain chat port; IRC over TLS has 6697 (see IrcOptions).</summary>
    public int TlsPort { get; set; } = 1401;

    /// <summary>TLS chat is served when a certificate is configured.</summary>
    public bool TlsEnabled => TlsCertificate.Length > 0;

    public string TlsCertificate { get; set; } = "";

    public string TlsKey { get; set; } = "";

    public string TlsCertificatePassword { get; set; } = "";

    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>"text" (one line per event) or "json" (one JSON object per line, for log shippers).</summary>
    public string LogFormat { get; set; } = "text";
}
