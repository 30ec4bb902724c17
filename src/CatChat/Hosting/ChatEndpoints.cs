using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CatChat.Hosting;

/// <summary>The listeners CatChat configured; after start they carry the ports actually bound (port 0 picks one).</summary>
public sealed class ChatEndpoints
{
    /// <summary>The plain chat port, served by CatChat's own socket transport.</summary>
    internal IPEndPoint? ChatEndPoint { get; set; }

    internal ListenOptions? Tls { get; set; }

    /// <summary>The plain IRC port, when it is on.</summary>
    internal IPEndPoint? IrcEndPoint { get; set; }

    internal ListenOptions? IrcTls { get; set; }
    internal ListenOptions? Http { get; set; }

    public int ChatPort => ChatEndPoint?.Port ?? 0;
    public int TlsPort => PortOf(Tls);
    public int IrcPort => IrcEndPoint?.Port ?? 0;
    public int IrcTlsPort => PortOf(IrcTls);
    public int HttpPort => PortOf(Http);

    private static int PortOf(ListenOptions? listen) => (listen?.EndPoint as IPEndPoint)?.Port ?? 0;
}
