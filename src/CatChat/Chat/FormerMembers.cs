namespace CatChat.Chat;

/// <summary>
/// Who was here: the last <see cref="Capacity"/> nicknames given up on this node or, as far as it heard, on the others
/// (by leaving or by a rename), for IRC's WHOWAS. A fixed-size ring written under a lock as a member leaves; the oldest entry makes way for the newest.
/// </summary>
public sealed class FormerMembers(int capacity = FormerMembers.DefaultCapacity)
{
    /// <summary>How many former nicknames a node remembers by default.</summary>
    public const int DefaultCapacity = 1000;

    private readonly Lock _gate = new();
    private readonly FormerMember[] _ring = new FormerMember[Math.Max(capacity, 1)];
    private int _next;
    private int _count;

    public int Capacity => _ring.Length;

    /// <summary>Remembers that <paramref name="member"/> held <paramref name="nick"/> until <paramref name="until"/>.</summary>
    public void Add(ChatMember member, string nick, DateTimeOffset until) =>
        Add(new FormerMember(nick, member.User, member.Door, member.RealName, until));

    /// <summary>Remembers a member of another node who gave up <paramref name="nick"/> (whose real name it never heard).</summary>
    public void Add(RemoteMember member, string nick, DateTimeOffset until) =>
        Add(new FormerMember(nick, member.User, member.Door, nick, until, member.NodeName));

    private void Add(FormerMember entry)
    {
        lock (_gate)
        {
            _ring[_next] = entry;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <summary>Up to <paramref name="max"/> entries for <paramref name="nick"/> (any case), newest first; 0 or less: all of them.</summary>
    public IReadOnlyList<FormerMember> Find(string nick, int max = 0)
    {
        var found = new List<FormerMember>();
        lock (_gate)
        {
            for (var i = 1; i <= _count && (max <= 0 || found.Count < max); i++)
            {
                var entry = _ring[(_next - i + _ring.Length) % _ring.Length];
                if (string.Equals(entry.Nick, nick, StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(entry);
                }
            }
        }

        return found;
    }
}
