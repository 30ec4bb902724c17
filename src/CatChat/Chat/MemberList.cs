namespace CatChat.Chat;

/// <summary>
/// Everyone in the room, in order of arrival, and the array a broadcast walks. A change only marks the array
/// stale; the next reader rebuilds it once and later ones share it without locking. (Copying the array on
/// every join made a storm of N logins cost O(N²).)
/// </summary>
internal sealed class MemberList
{
    private readonly Lock _gate = new();
    private readonly List<ChatMember> _members = [];
    private ChatMember[]? _snapshot = [];
    private int _count;
    private int _peak;

    public int Count => Volatile.Read(ref _count);

    /// <summary>The most members there have been at once.</summary>
    public int Peak => Volatile.Read(ref _peak);

    public void Add(ChatMember member)
    {
        lock (_gate)
        {
            _members.Add(member);
            _snapshot = null;
            _count = _members.Count;
            _peak = Math.Max(_peak, _count);
        }
    }

    /// <summary>Removes a member; returns how many are left.</summary>
    public int Remove(ChatMember member)
    {
        lock (_gate)
        {
            _members.Remove(member);
            _snapshot = null;
            _count = _members.Count;
            return _count;
        }
    }

    /// <summary>Everyone present now; the same array until the membership changes, so it must not be modified.</summary>
    public ChatMember[] Snapshot()
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null)
        {
            return snapshot;
        }

        lock (_gate)
        {
            return _snapshot ??= [.. _members];
        }
    }
}
