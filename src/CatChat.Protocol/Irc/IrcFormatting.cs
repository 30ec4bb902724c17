namespace CatChat.Protocol.Irc;

/// <summary>
/// IRC's formatting codes (bold, colour, italics, ...) and CTCP's delimiter: control characters that IRC clients
/// show as style, and that must never reach a terminal as control bytes. Pure.
/// </summary>
public static class IrcFormatting
{
    public const char Bold = '\u0002';
    public const char Color = '\u0003';
    public const char HexColor = '\u0004';
    public const char Reset = '\u000F';
    public const char Monospace = '\u0011';
    public const char Reverse = '\u0016';
    public const char Italic = '\u001D';
    public const char Strikethrough = '\u001E';
    public const char Underline = '\u001F';

    /// <summary>CTCP wraps its messages (ACTION, VERSION, ...) in this character.</summary>
    public const char CtcpDelimiter = '\u0001';

    /// <summary>True for the control characters IRC clients understand as formatting or CTCP.</summary>
    public static bool IsCode(char c) =>
        c is Bold or Color or HexColor or Reset or Monospace or Reverse or Italic or Strikethrough or Underline or CtcpDelimiter;

    /// <summary>The text with every formatting code (and a colour code's digits) taken out.</summary>
    public static string Strip(string text)
    {
        if (!text.AsSpan().ContainsAny(Codes))
        {
            return text;
        }

        var kept = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == Color)
            {
                i = SkipColor(text, i, isDigit: char.IsAsciiDigit, length: 2);
            }
            else if (c == HexColor)
            {
                i = SkipColor(text, i, isDigit: char.IsAsciiHexDigit, length: 6);
            }
            else if (!IsCode(c))
            {
                kept.Append(c);
            }
        }

        return kept.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Codes = System.Buffers.SearchValues.Create(
        [Bold, Color, HexColor, Reset, Monospace, Reverse, Italic, Strikethrough, Underline, CtcpDelimiter]);

    // A colour code is followed by a foreground of up to `length` digits and, after a comma, a background.
    private static int SkipColor(string text, int at, Func<char, bool> isDigit, int length)
    {
        var i = SkipDigits(text, at, isDigit, length);
        if (i > at && i + 2 < text.Length && text[i + 1] == ',' && isDigit(text[i + 2]))
        {
            i = SkipDigits(text, i + 1, isDigit, length);
        }

        return i;
    }

    // Returns the index of the last character that belongs to the code.
    private static int SkipDigits(string text, int at, Func<char, bool> isDigit, int length)
    {
        var i = at;
        while (i + 1 < text.Length && i - at < length && isDigit(text[i + 1]))
        {
            i++;
        }

        return i;
    }

    /// <summary>The action of a CTCP ACTION (<c>\x01ACTION waves\x01</c>), or null when the text is not one.</summary>
    public static string? ActionOf(string text)
    {
        const string Prefix = "\u0001ACTION";
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var body = text.AsSpan(Prefix.Length);
        if (body.Length > 0 && body[^1] == CtcpDelimiter)
        {
            body = body[..^1];
        }

        return body.Length > 0 && body[0] == ' ' ? body[1..].ToString() : body.Length == 0 ? string.Empty : null;
    }

    /// <summary>An action as a CTCP ACTION.</summary>
    public static string AsAction(string action) => "\u0001ACTION " + action + "\u0001";
}
