namespace CatChat.Chat;

/// <summary>One line of a multiline message as its sender wrote it; <paramref name="Concat"/>: it continues the line before, with no break between them.</summary>
public readonly record struct MultilinePart(string Text, bool Concat);

/// <summary>
/// Several lines sent as one message (IRCv3 <c>draft/multiline</c>: a pasted paragraph or piece of code). The chat says
/// each of its non-blank parts as a line of its own, so every front door, the history and the other nodes see ordinary
/// lines in order; a client that takes multiline messages gets the whole message, blank lines and all, with the first of
/// them (<see cref="Delivery.Multiline"/>) and nothing with the rest (<see cref="Delivery.ContinuesMultiline"/>).
/// </summary>
public sealed class MultilineMessage(IReadOnlyList<MultilinePart> parts, bool notice, string? clientTags)
{
    /// <summary>The most lines one message may hold, on every door.</summary>
    public const int MaxLines = 100;

    /// <summary>The most bytes of text one message may hold (UTF-8; a line break counts one), on every door.</summary>
    public const int MaxBytes = 4096;

    public IReadOnlyList<MultilinePart> Parts { get; } = parts;

    /// <summary>Sent as IRC NOTICEs rather than PRIVMSGs.</summary>
    public bool IsNotice { get; } = notice;

    /// <summary>The sender's client-only tags, which go with every part.</summary>
    public string? ClientTags { get; } = clientTags;

    /// <summary>True when no part has text: nothing to say.</summary>
    public bool IsBlank => Parts.All(part => string.IsNullOrWhiteSpace(part.Text));
}
