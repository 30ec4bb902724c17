using System.Buffers;
using System.Text;

namespace CatChat.Protocol;

/// <summary>
/// Turns the raw bytes of one received line into text that is safe to show on anyone's terminal:
/// telnet negotiation removed, invalid UTF-8 replaced by U+FFFD, escape sequences (CSI, OSC, DCS and
/// the like), C0/C1 control characters and bidirectional overrides removed, tabs turned into spaces.
/// </summary>
public static class TextSanitizer
{
    private const int StackLimit = 1024;

    // Encoding.UTF8 replaces every invalid sequence with U+FFFD instead of throwing.
    private static readonly Encoding Utf8 = Encoding.UTF8;

    /// <summary>Sanitises one line's bytes (without its CR/LF).</summary>
    public static string Sanitize(in ReadOnlySequence<byte> line) => Sanitize(line, keepIrcFormatting: false);

    /// <summary>
    /// One line's bytes (without its CR/LF) as text, with nothing removed but telnet negotiation and invalid UTF-8
    /// replaced by U+FFFD: control characters stay, for a parser that must tell where they were.
    /// </summary>
    public static string Decode(in ReadOnlySequence<byte> line)
    {
        var length = checked((int)line.Length);
        byte[]? rentedBytes = null;
        var bytes = length <= StackLimit ? stackalloc byte[length] : (rentedBytes = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            line.CopyTo(bytes);
            return Utf8.GetString(bytes[..TelnetFilter.RemoveNegotiation(bytes[..length])]);
        }
        finally
        {
            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }
        }
    }

    /// <summary>Sanitises one line's bytes (without its CR/LF), keeping IRC's formatting codes when asked.</summary>
    public static string Sanitize(in ReadOnlySequence<byte> line, bool keepIrcFormatting)
    {
        var length = checked((int)line.Length);
        byte[]? rentedBytes = null;
        var bytes = length <= StackLimit ? stackalloc byte[length] : (rentedBytes = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            line.CopyTo(bytes);
            return Sanitize(bytes[..length], keepIrcFormatting);
        }
        finally
        {
            if (rentedBytes is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedBytes);
            }
        }
    }

    /// <summary>Sanitises one line's bytes (without its CR/LF). The span is used as scratch space.</summary>
    public static string Sanitize(Span<byte> line, bool keepIrcFormatting = false)
    {
        var length = TelnetFilter.RemoveNegotiation(line);
        var bytes = line[..length];
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        var maxChars = Utf8.GetMaxCharCount(bytes.Length);
        char[]? rentedChars = null;
        var chars = maxChars <= StackLimit ? stackalloc char[maxChars] : (rentedChars = ArrayPool<char>.Shared.Rent(maxChars));
        try
        {
            var charCount = Utf8.GetChars(bytes, chars);
            var kept = EscapeSequenceFilter.Filter(chars[..charCount], keepIrcFormatting);
            return kept == 0 ? string.Empty : new string(chars[..kept]);
        }
        finally
        {
            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }
        }
    }

    /// <summary>Sanitises text that did not arrive as bytes (a banner from the settings, say).</summary>
    public static string Sanitize(string text, bool keepIrcFormatting = false)
    {
        if (!EscapeSequenceFilter.ContainsControl(text))
        {
            return text; // Most text has nothing to remove: no copy.
        }

        var chars = text.ToCharArray();
        var kept = EscapeSequenceFilter.Filter(chars, keepIrcFormatting);
        return new string(chars, 0, kept);
    }
}
