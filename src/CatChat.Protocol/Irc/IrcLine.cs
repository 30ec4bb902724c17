using System.Text;

namespace CatChat.Protocol.Irc;

/// <summary>
/// Builds the lines the server sends an IRC client: <c>[@tags] [:source] COMMAND params... [:trailing]</c>. A
/// parameter can never end the line early or start another: CR, LF and NUL become spaces, a middle parameter loses
/// its spaces and leading colon, and only the last one may be a trailing one. Pure.
/// </summary>
public static class IrcLine
{
    /// <summary>The most a line may have without its tags, CR and LF counted (RFC 1459's 512).</summary>
    public const int MaxBytes = 512;

    /// <summary>A line with its last parameter always trailing (the way text, reasons and topics go).</summary>
    public static string Build(string? source, string command, params ReadOnlySpan<string> parameters) =>
        Build(tags: null, source, command, trailingLast: true, parameters);

    /// <summary>A line whose last parameter is trailing only when it must be (empty, has a space, starts with ':').</summary>
    public static string BuildPlain(string? source, string command, params ReadOnlySpan<string> parameters) =>
        Build(tags: null, source, command, trailingLast: false, parameters);

    public static string Build(string? tags, string? source, string command, bool trailingLast, params ReadOnlySpan<string> parameters)
    {
        var line = new StringBuilder(64);
        if (!string.IsNullOrEmpty(tags))
        {
            line.Append('@').Append(tags).Append(' ');
        }

        if (!string.IsNullOrEmpty(source))
        {
            line.Append(':').Append(Middle(source)).Append(' ');
        }

        line.Append(command);
        for (var i = 0; i < parameters.Length; i++)
        {
            line.Append(' ');
            var parameter = parameters[i] ?? string.Empty;
            var last = i == parameters.Length - 1;
            if (last && (trailingLast || parameter.Length == 0 || parameter.Contains(' ') || parameter[0] == ':'))
            {
                line.Append(':').Append(Trailing(parameter));
            }
            else
            {
                var middle = Middle(parameter);
                line.Append(middle.Length == 0 ? "*" : middle);
            }
        }

        return line.ToString();
    }

    /// <summary>A middle parameter: no spaces, no leading colon, no line breaks or NULs.</summary>
    private static string Middle(string parameter)
    {
        var cleaned = Trailing(parameter).Replace(' ', '_');
        return cleaned.TrimStart(':');
    }

    private static string Trailing(string parameter) =>
        parameter.AsSpan().IndexOfAny('\r', '\n', '\0') < 0
            ? parameter
            : parameter.Replace('\r', ' ').Replace('\n', ' ').Replace('\0', ' ');

    /// <summary>
    /// Cuts <paramref name="text"/> so that the line it ends stays within <see cref="MaxBytes"/> given the bytes
    /// before it, at a character boundary.
    /// </summary>
    public static string FitTrailing(string text, int bytesBefore)
    {
        var room = MaxBytes - 2 - bytesBefore;
        if (room <= 0)
        {
            return string.Empty;
        }

        if (Encoding.UTF8.GetByteCount(text) <= room)
        {
            return text;
        }

        var length = 0;
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > room)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }

        return text[..length];
    }
}
