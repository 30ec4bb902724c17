using System.Net;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// Whether a WebSocket handshake may proceed, from its Origin header: a page of this server (or of an origin the
/// operator listed) may open a socket, a page elsewhere may not (cross-site WebSocket hijacking). Pure.
/// </summary>
internal static class OriginPolicy
{
    /// <summary>
    /// True when <paramref name="origin"/> is listed, or names <paramref name="host"/> (the request's Host, as the
    /// browser sent it) by a name that can only be this server's. No Origin at all is not a browser, which always sends
    /// one, and is allowed: only browsers can be tricked into connecting.
    /// </summary>
    /// <param name="hostVouchedFor">
    /// True when a trusted reverse proxy passed the request on: it answers only to the names it serves, so the Host is
    /// one of them.
    /// </param>
    public static bool Allows(string? origin, string host, IReadOnlyList<string> allowed, bool hostVouchedFor = false)
    {
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        foreach (var listed in allowed)
        {
            if (string.Equals(origin, listed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        // The scheme is not compared: a proxy that ends TLS may hand the request on as plain HTTP.
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && string.Equals(uri.Authority, host, StringComparison.OrdinalIgnoreCase)
            && (hostVouchedFor || CannotBeRebound(uri));
    }

    // A page and its socket on one Host is not enough: DNS rebinding points the attacker's own name at this server,
    // so the attacker's page is same-origin with it. An address, localhost or this machine's own name cannot be
    // pointed here by anyone else; any other name must be listed (or come through a trusted proxy).
    private static bool CannotBeRebound(Uri origin) =>
        origin.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
        || origin.IsLoopback
        || origin.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || string.Equals(origin.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase)
        || string.Equals(origin.Host, Dns.GetHostName(), StringComparison.OrdinalIgnoreCase);
}
