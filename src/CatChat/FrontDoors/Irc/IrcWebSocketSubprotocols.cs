namespace CatChat.FrontDoors.Irc;

/// <summary>
/// IRCv3's WebSocket transport: each IRC line is one message, and the client's offer of subprotocols says whether
/// they travel as text or as binary. Pure.
/// </summary>
internal static class IrcWebSocketSubprotocols
{
    /// <summary>Lines as binary messages, bytes as they are.</summary>
    public const string Binary = "binary.ircv3.net";

    /// <summary>Lines as text messages, which must be UTF-8.</summary>
    public const string Text = "text.ircv3.net";

    /// <summary>
    /// The first of <paramref name="offered"/> that IRC speaks (a client lists them by preference), to name in the
    /// handshake's answer; null when it offers neither, and then lines go as text, which every web page can read.
    /// </summary>
    public static string? Choose(IEnumerable<string> offered) =>
        offered.FirstOrDefault(subprotocol => subprotocol is Binary or Text);
}
