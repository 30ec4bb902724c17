namespace CatChat.Protocol;

/// <summary>
/// Recognises a connection's first line as HTTP, the mark of a cross-protocol attack (a web page
/// making a visitor's browser POST to the chat port). Such a connection is closed unheard, as Redis does.
/// </summary>
public static class HttpRequestSniffer
{
    private static readonly string[] Methods =
        ["GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "PRI"];

    public static bool LooksLikeHttp(string firstLine)
    {
        if (firstLine.StartsWith("Host:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var space = firstLine.IndexOf(' ');
        if (space <= 0 || !Methods.Contains(firstLine[..space], StringComparer.Ordinal))
        {
            return false;
        }

        return firstLine.Contains(" HTTP/", StringComparison.Ordinal);
    }
}
