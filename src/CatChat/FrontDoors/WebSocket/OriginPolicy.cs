namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// Whether a WebSocket handshake may proceed, from its Origin header: a page of this server (or of an origin the
/// operator listed) may open a socket, a page elsewhere may not (cross-site WebSocket hijacking). Pure.
/// </summary>
internal static class OriginPolicy
{
    /// <summary>
    /// True when <paramref name="origin"/> names <paramref name="host"/> (the request's Host, as the browser sent it,
    /// through a proxy that keeps it), or is listed. No Origin at all is not a browser, which always sends one, and
    /// is allowed: only browsers can be tricked into connecting.
    /// </summary>
    public static bool Allows(string? origin, string host, IReadOnlyList<string> allowed)
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
            && string.Equals(uri.Authority, host, StringComparison.OrdinalIgnoreCase);
    }
}
