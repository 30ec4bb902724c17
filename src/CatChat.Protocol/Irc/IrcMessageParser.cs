namespace CatChat.Protocol.Irc;

/// <summary>
/// Parses one line of the IRC client protocol (Modern IRC's message format) into an <see cref="IrcMessage"/>: pure,
/// over a line already framed and decoded. <c>@tags</c>, then <c>:source</c>, then the command and up to 15
/// parameters separated by spaces (runs of spaces count as one), the last introduced by <c>:</c> when it has spaces.
/// </summary>
public static class IrcMessageParser
{
    /// <summary>Modern IRC allows up to 15 parameters; more are joined into the last, as servers do.</summary>
    public const int MaxParameters = 15;

    /// <summary>The message, or null when the line has no command (empty, or only tags and a source).</summary>
    public static IrcMessage? Parse(string line)
    {
        var rest = line.AsSpan();
        string? tags = null;
        string? source = null;
        if (rest.Length > 0 && rest[0] == '@')
        {
            var end = rest.IndexOf(' ');
            if (end < 0)
            {
                return null;
            }

            tags = rest[1..end].ToString();
            rest = rest[end..].TrimStart(' ');
        }

        if (rest.Length > 0 && rest[0] == ':')
        {
            var end = rest.IndexOf(' ');
            if (end < 0)
            {
                return null;
            }

            source = rest[1..end].ToString();
            rest = rest[end..].TrimStart(' ');
        }

        var commandEnd = rest.IndexOf(' ');
        var command = (commandEnd < 0 ? rest : rest[..commandEnd]).ToString();
        if (command.Length == 0)
        {
            return null;
        }

        rest = commandEnd < 0 ? [] : rest[commandEnd..];
        var parameters = new List<string>();
        while (true)
        {
            rest = rest.TrimStart(' ');
            if (rest.IsEmpty)
            {
                break;
            }

            if (rest[0] == ':' || parameters.Count == MaxParameters - 1)
            {
                parameters.Add((rest[0] == ':' ? rest[1..] : rest).ToString());
                break;
            }

            var end = rest.IndexOf(' ');
            parameters.Add((end < 0 ? rest : rest[..end]).ToString());
            rest = end < 0 ? [] : rest[end..];
        }

        return new IrcMessage(tags, source, command.ToUpperInvariant(), parameters);
    }
}
