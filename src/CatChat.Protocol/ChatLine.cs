namespace CatChat.Protocol;

/// <summary>
/// The shapes of every line the server sends (see docs/protocol.md). Nicknames contain no spaces
/// or '*', and users' text always follows a nickname, so no user input can produce a line that
/// starts like a server notice ("*** ") or error ("! ").
/// </summary>
public static class ChatLine
{
    public const string NoticePrefix = "*** ";
    public const string ErrorPrefix = "! ";

    /// <summary>A chat line: <c>&lt;nick&gt; text</c>.</summary>
    public static string Message(string nick, string text) => $"<{nick}> {text}";

    /// <summary>An action: <c>* nick action</c>.</summary>
    public static string Action(string nick, string action) => $"* {nick} {action}";

    /// <summary>A private message as its recipient sees it: <c>*nick* text</c>.</summary>
    public static string PrivateFrom(string nick, string text) => $"*{nick}* {text}";

    /// <summary>A private message as its sender sees it: <c>-&gt; *nick* text</c>.</summary>
    public static string PrivateTo(string nick, string text) => $"-> *{nick}* {text}";

    /// <summary>
    /// A line of a room the recipient is in but not looking at: <c>#room </c> before the line as it was sent. It
    /// starts with '#', which no other line does.
    /// </summary>
    public static string InRoom(string room, string line) => room + " " + line;

    /// <summary>A server notice: <c>*** text</c>.</summary>
    public static string Notice(string text) => NoticePrefix + text;

    /// <summary>
    /// A line from the past, as shown by history: <c>[HH:mm] </c> (UTC) before the line as it was sent.
    /// It starts with '[', which no live line does.
    /// </summary>
    public static string Replayed(DateTimeOffset time, string line) =>
        "[" + time.UtcDateTime.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) + "] " + line;

    /// <summary>An error for the sender only: <c>! text</c>.</summary>
    public static string Error(string text) => ErrorPrefix + text;
}
