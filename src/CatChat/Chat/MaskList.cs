using CatChat.Protocol.Irc;

namespace CatChat.Chat;

/// <summary>
/// A room's list of <c>nick!user@host</c> masks (<c>*</c> and <c>?</c> match any text, any one character): its bans
/// and their exceptions, each with who set it and when, as this node learnt it. A mask may be a mute
/// (<c>m:nick!user@host</c>, IRC's mute extban): in the ban list it keeps its matches from speaking, not from joining;
/// in the exception list it lets its matches speak through a mute. Few, so the array is replaced on a change and read
/// without a lock; at most <see cref="MaxMasks"/>, so no list grows without end.
/// </summary>
public sealed class MaskList
{
    public const int MaxMasks = 100;

    /// <summary>What starts a mute: no identity does, as no nickname holds ':'.</summary>
    public const string MutePrefix = "m:";

    private readonly Lock _gate = new();
    private MaskEntry[] _entries = [];

    /// <summary>The masks, as every node shares them.</summary>
    public IReadOnlyList<string> Masks => Array.ConvertAll(Volatile.Read(ref _entries), entry => entry.Mask);

    /// <summary>The masks with who set them and when (unknown for those this node found already set).</summary>
    public IReadOnlyList<MaskEntry> Entries => Volatile.Read(ref _entries);

    /// <summary>True while the list holds no mask (nearly every room's ban list): nothing can match.</summary>
    public bool IsEmpty => Volatile.Read(ref _entries).Length == 0;

    /// <summary>Whether a plain mask (not a mute) matches <paramref name="identity"/>.</summary>
    public bool Matches(string identity) => Matches(identity, mutes: false);

    /// <summary>Whether a mute matches <paramref name="identity"/>.</summary>
    public bool MatchesMute(string identity) => Matches(identity, mutes: true);

    private bool Matches(string identity, bool mutes)
    {
        foreach (var entry in Volatile.Read(ref _entries))
        {
            var mask = entry.Mask;
            var isMute = mask.StartsWith(MutePrefix, StringComparison.OrdinalIgnoreCase);
            if (isMute == mutes && IrcMask.Matches(isMute ? mask[MutePrefix.Length..] : mask, identity))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds or removes a mask (case ignored); false when nothing changed, or the list is full.</summary>
    internal bool Set(string mask, bool present, string setBy = "", DateTimeOffset setAt = default)
    {
        lock (_gate)
        {
            var entries = _entries;
            var has = Array.Exists(entries, entry => Same(entry.Mask, mask));
            if (present == has || (present && entries.Length >= MaxMasks))
            {
                return false;
            }

            Volatile.Write(ref _entries, present ? [.. entries, new MaskEntry(mask, setBy, setAt)] : Array.FindAll(entries, entry => !Same(entry.Mask, mask)));
            return true;
        }
    }

    /// <summary>
    /// Puts another node's list in place of this one (at most <see cref="MaxMasks"/> of it): masks already here keep
    /// who set them, new ones are credited to <paramref name="setBy"/> at <paramref name="setAt"/>.
    /// </summary>
    internal void Replace(IReadOnlyList<string> masks, string setBy = "", DateTimeOffset setAt = default)
    {
        lock (_gate)
        {
            var before = _entries;
            Volatile.Write(ref _entries, [.. masks.Take(MaxMasks).Select(mask =>
                Array.Find(before, entry => Same(entry.Mask, mask)) is { Mask: not null } kept ? kept : new MaskEntry(mask, setBy, setAt))]);
        }
    }

    private static bool Same(string one, string other) => string.Equals(one, other, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A mask of a room's list, with who set it (empty when unknown) and when.</summary>
public readonly record struct MaskEntry(string Mask, string SetBy, DateTimeOffset SetAt);
