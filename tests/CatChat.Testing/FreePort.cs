using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CatChat.Testing;

/// <summary>
/// A loopback port nobody listens on right now, for settings where 0 means "off" rather than "any", and for servers
/// started as processes. Taken below the kernel's ephemeral range: a port from that range, let go here and bound by a
/// process a moment later, could meanwhile be handed to an in-process server started on port 0 (or be some connection's
/// source port), and then one test's clients would talk to another test's server.
/// </summary>
public static class FreePort
{
    private const int LowestPort = 10_000;

    private static readonly object Gate = new();
    private static int _next = -1;

    public static int Next()
    {
        var (first, end) = RangeBelowEphemeral();
        if (end - first < 100)
        {
            return Ephemeral(); // No room below the ephemeral range on this machine.
        }

        lock (Gate)
        {
            // Each test process starts at its own place, so that two running at once rarely meet.
            if (_next < 0)
            {
                _next = first + Random.Shared.Next(end - first);
            }

            for (var tried = 0; tried < end - first; tried++)
            {
                var port = _next;
                _next = _next + 1 >= end ? first : _next + 1;
                if (IsFree(port))
                {
                    return port;
                }
            }
        }

        return Ephemeral();
    }

    public static string NextAsText() => Next().ToString(CultureInfo.InvariantCulture);

    // From LowestPort to just below the first ephemeral port (32768 on Linux by default).
    private static (int First, int End) RangeBelowEphemeral()
    {
        var end = 32_768;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            end = int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux, or not readable: the usual default.
        }

        return (LowestPort, end);
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Ephemeral()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
