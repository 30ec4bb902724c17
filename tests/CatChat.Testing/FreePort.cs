using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CatChat.Testing;

/// <summary>A loopback port nobody listens on right now, for settings where 0 means "off" rather than "any".</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string NextAsText() => Next().ToString(CultureInfo.InvariantCulture);
}
