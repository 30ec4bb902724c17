using CatChat.Chat;
using CatChat.Protocol;

namespace CatChat.Backplane;

/// <summary>
/// A room's shared modes on the wire and back. What arrives is untrusted: a key, a limit or a mask that no node would
/// have accepted from a user makes the whole set refused, so a forged envelope cannot lock a room with a key nobody
/// can type or ban with a mask that carries a control sequence. Pure.
/// </summary>
internal static class RoomModesCodec
{
    private const int MaxKeyLength = 23;
    private const int MaxMaskLength = 300;
    private const int MaxChangeLength = 600;

    public static RoomModesRecord Encode(RoomModes modes) => new()
    {
        Version = modes.Version,
        Flags = modes.Flags,
        Key = modes.Key,
        Limit = modes.Limit == 0 ? null : modes.Limit,
        Bans = modes.Bans.Count == 0 ? null : modes.Bans,
        BanExceptions = modes.BanExceptions.Count == 0 ? null : modes.BanExceptions,
        InviteExceptions = modes.InviteExceptions.Count == 0 ? null : modes.InviteExceptions,
    };

    /// <summary>The modes, or null when any part of them does not make sense.</summary>
    public static RoomModes? TryDecode(RoomModesRecord? record)
    {
        if (record is null || record.Version <= 0 || record.Limit is < 0)
        {
            return null;
        }

        var flags = record.Flags ?? string.Empty;
        if (flags.Length > RoomModes.FlagLetters.Length || flags.Any(c => !RoomModes.FlagLetters.Contains(c, StringComparison.Ordinal)) || flags.Distinct().Count() != flags.Length)
        {
            return null;
        }

        if (record.Key is { } key && (key.Length is 0 or > MaxKeyLength || !IsWord(key) || key.Contains(',', StringComparison.Ordinal)))
        {
            return null;
        }

        return Masks(record.Bans) is { } bans && Masks(record.BanExceptions) is { } exceptions && Masks(record.InviteExceptions) is { } invites
            ? new RoomModes(flags, record.Key, record.Limit ?? 0, bans, exceptions, invites) { Version = record.Version }
            : null;
    }

    /// <summary>
    /// Whether a change reads as IRC's MODE shows one: signs and mode letters, then its parameters, each one word
    /// (as <c>+kb-t key *!*@spam</c>).
    /// </summary>
    public static bool IsChange(string? change)
    {
        if (change is not { Length: > 1 and <= MaxChangeLength } || change[0] is not ('+' or '-'))
        {
            return false;
        }

        var words = change.Split(' ');
        return words[0].All(c => c is '+' or '-' || char.IsAsciiLetter(c)) && words.Skip(1).All(word => word.Length > 0 && IsWord(word));
    }

    private static IReadOnlyList<string>? Masks(IReadOnlyList<string>? masks)
    {
        if (masks is null)
        {
            return [];
        }

        return masks.Count <= MaskList.MaxMasks && masks.All(mask => mask is { Length: > 0 and <= MaxMaskLength } && IsWord(mask)) ? masks : null;
    }

    // No space, no control character, nothing IRC would read as the start of a trailing parameter.
    private static bool IsWord(string text) =>
        text[0] != ':' && !text.Contains(' ', StringComparison.Ordinal) && !EscapeSequenceFilter.ContainsControl(text)
        && !text.Contains(Protocol.Irc.IrcMessageSanitizer.ControlReplacement, StringComparison.Ordinal);
}
