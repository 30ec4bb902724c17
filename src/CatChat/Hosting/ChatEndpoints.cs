using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CatChat.Hosting;

/// <summary>The listeners CatChat configured; after start they carry the ports actually bound (port 0 picks one).</summary>
public sealed class ChatEndpoints
{
    internal ListenOptions? Chat { get; set; }
    internal ListenOptions? Tls { get; set; }
    internal ListenOptions? Http { get; set; }

    public int ChatPort => PortOf(Chat);
    public int TlsPort => PortOf(Tls);
    public int HttpPort => PortOf(Http);

    private static int PortOf(ListenOptions? listen) => (listen?.EndPoint as IPEndPoint)?.Port ?? 0;
}
