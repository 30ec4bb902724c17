using System.Net;
using System.Net.Sockets;

namespace CatChat.Bench.Targets;

/// <summary>A loopback port nobody listens on right now, for a server this tool starts.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
