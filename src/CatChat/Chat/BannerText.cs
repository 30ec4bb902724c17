using System.Text;
using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>
/// The greeting every login gets, parsed and cleaned. <see cref="TryParse"/> is the one way to make one, wherever
/// the text comes from (the settings, the API, the database, another node), so a banner is always clean; its wire
/// encoding is made once, when it is parsed. <see cref="ChatRoom"/> owns the current one.
/// </summary>
public sealed class BannerText
{
    public const int MaxBytes = 4096;
    public const int MaxLines = 100;

    private BannerText(IReadOnlyList<string> lines)
    {
        Lines = lines;
        Encoded = [.. lines.Select(LineEncoder.Encode)];
    }

    public IReadOnlyList<string> Lines { get; }

    /// <summary>The lines as they go on the wire.</summary>
    public byte[][] Encoded { get; }

    /// <summary>The lines joined by LF, as stored and shown by the API.</summary>
    public override string ToString() => string.Join('\n', Lines);

    /// <summary>
    /// Lines split on LF (a CR before it dropped), each cleaned like chat text (no control characters or escape
    /// sequences), trailing blank lines dropped. Null, with the reason, when there is none or it is too long.
    /// </summary>
    public static BannerText? TryParse(string? text, out string? error)
    {
        if (text is null)
        {
            error = "The field 'banner' is required.";
            return null;
        }

        if (Encoding.UTF8.GetByteCount(text) > MaxBytes)
        {
            error = $"The banner is longer than {MaxBytes} bytes.";
            return null;
        }

        var lines = text.Split('\n').Select(line => TextSanitizer.Sanitize(line.TrimEnd('\r'))).ToList();
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        if (lines.Count > MaxLines)
        {
            error = $"The banner has more than {MaxLines} lines.";
            return null;
        }

        error = null;
        return new BannerText(lines);
    }

    /// <summary><see cref="TryParse"/> for text known to be acceptable (a setting already checked).</summary>
    public static BannerText Parse(string text) => TryParse(text, out var error) ?? throw new FormatException(error);
}
