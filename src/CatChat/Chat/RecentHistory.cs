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
