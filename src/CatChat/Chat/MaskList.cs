using CatChat.Protocol.Irc;

namespace CatChat.Chat;

/// <summary>
/// A room's list of <c>nick!user@host</c> masks (<c>*</c> and <c>?</c> match any text, any one character): its bans
/// and their exceptions. Few, so the array is replaced on a change and read without a lock; at most
/// <see cref="MaxMasks"/>, so no list grows without end.
/// </summary>
public sealed class MaskList
{
    public const int MaxMasks = 100;

    private readonly Lock _gate = new();
    private string[] _masks = [];

    public IReadOnlyList<string> Masks => Volatile.Read(ref _masks);

    public bool Matches(string identity)
    {
        foreach (var mask in Volatile.Read(ref _masks))
        {
            if (IrcMask.Matches(mask, identity))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds or removes a mask (case ignored); false when nothing changed, or the list is full.</summary>
    internal bool Set(string mask, bool present)
    {
        lock (_gate)
        {
            var masks = _masks;
            var has = Array.Exists(masks, m => string.Equals(m, mask, StringComparison.OrdinalIgnoreCase));
            if (present == has || (present && masks.Length >= MaxMasks))
            {
                return false;
            }

            Volatile.Write(ref _masks, present ? [.. masks, mask] : Array.FindAll(masks, m => !string.Equals(m, mask, StringComparison.OrdinalIgnoreCase)));
            return true;
        }
    }

    /// <summary>Puts another node's list in place of this one (at most <see cref="MaxMasks"/> of it).</summary>
    internal void Replace(IReadOnlyList<string> masks)
    {
        lock (_gate)
        {
            Volatile.Write(ref _masks, [.. masks.Take(MaxMasks)]);
        }
    }
}
