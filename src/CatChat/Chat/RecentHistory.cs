namespace CatChat.Chat;

/// <summary>
/// The last lines of the chat, kept in memory so a new login can be shown them without asking the
/// database. A fixed-size ring, written under a lock on the broadcast path (a few instructions).
/// </summary>
public sealed class RecentHistory(int capacity)
{
    private readonly Lock _gate = new();
    private readonly HistoryEntry[] _ring = new HistoryEntry[Math.Max(capacity, 1)];
    private int _next;
    private int _count;

    // The ids taken back lately, so that a reader of the stored history can leave out a line the history writer has
    // not deleted yet (it gathers for a moment before it writes).
    private readonly string?[] _removed = new string?[RemovedKept];
    private int _nextRemoved;

    private const int RemovedKept = 100;

    public int Capacity => capacity;

    public void Add(HistoryEntry entry)
    {
        if (capacity <= 0)
        {
            return;
        }

        lock (_gate)
        {
            _ring[_next] = entry;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <summary>The newest line with this message id, or null when none of the kept lines has it.</summary>
    public HistoryEntry? Find(string messageId) => Newest(entry => entry.MessageId == messageId);

    /// <summary>The newest kept line or action said under this nickname, or null.</summary>
    public HistoryEntry? LastBy(string nick) =>
        Newest(entry => entry.Kind is HistoryKind.Message or HistoryKind.Action && string.Equals(entry.Nick, nick, StringComparison.OrdinalIgnoreCase));

    private HistoryEntry? Newest(Func<HistoryEntry, bool> match)
    {
        lock (_gate)
        {
            for (var i = 1; i <= _count; i++)
            {
                var entry = _ring[(_next - i + _ring.Length) % _ring.Length];
                if (match(entry))
                {
                    return entry;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Takes out every kept line with this message id (a multiline message's lines share one) and remembers the id
    /// among those taken back lately (<see cref="WasRemoved"/>), kept or not; returns how many lines it took out.
    /// </summary>
    public int Remove(string messageId)
    {
        lock (_gate)
        {
            _removed[_nextRemoved] = messageId;
            _nextRemoved = (_nextRemoved + 1) % RemovedKept;

            // Oldest first, the lines kept close ranks over the removed ones; rare enough to copy the ring.
            var oldest = (_next - _count + _ring.Length) % _ring.Length;
            var kept = 0;
            for (var i = 0; i < _count; i++)
            {
                var entry = _ring[(oldest + i) % _ring.Length];
                if (entry.MessageId != messageId)
                {
                    _ring[(oldest + kept++) % _ring.Length] = entry;
                }
            }

            var removed = _count - kept;
            for (var i = kept; i < _count; i++)
            {
                _ring[(oldest + i) % _ring.Length] = null!;
            }

            _count = kept;
            _next = (oldest + kept) % _ring.Length;
            return removed;
        }
    }

    /// <summary>Whether a line with this id was taken back lately (one of the last 100 taken back).</summary>
    public bool WasRemoved(string? messageId)
    {
        if (messageId is null)
        {
            return false;
        }

        lock (_gate)
        {
            return Array.IndexOf(_removed, messageId) >= 0;
        }
    }

    /// <summary>Up to <paramref name="count"/> of the newest lines, oldest first.</summary>
    public IReadOnlyList<HistoryEntry> Last(int count)
    {
        lock (_gate)
        {
            var take = Math.Min(count, _count);
            var lines = new HistoryEntry[take];
            for (var i = 0; i < take; i++)
            {
                lines[i] = _ring[(_next - take + i + _ring.Length) % _ring.Length];
            }

            return lines;
        }
    }
}
