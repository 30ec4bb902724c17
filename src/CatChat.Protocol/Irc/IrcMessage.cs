namespace CatChat.Protocol.Irc;

/// <summary>
/// One IRC message as a client sent it: its tags (raw, unescaped only when asked), an optional source, the command
/// (upper-cased) and its parameters, the last of which may have had spaces (the "trailing" one).
/// </summary>
public sealed record IrcMessage(string? Tags, string? Source, string Command, IReadOnlyList<string> Parameters)
{
    /// <summary>The parameter at <paramref name="index"/>, or null when there are fewer.</summary>
    public string? this[int index] => index < Parameters.Count ? Parameters[index] : null;

    public int Count => Parameters.Count;
}
