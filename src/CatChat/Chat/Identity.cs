namespace CatChat.Chat;

/// <summary>
/// Who did something, as IRC's <c>nick!user@host</c> shows them. The host names the front door they came through
/// (<c>netcat</c>, <c>irc</c>), never their address, which only administrators see.
/// </summary>
public sealed record Identity(string Nick, string User, string Host)
{
    public override string ToString() => Nick + "!" + User + "@" + Host;
}
