namespace CatChat.Chat;

/// <summary>
/// A room's spoken lines (lines and actions) between two times, as IRC's CHATHISTORY asks for them: the stored history
/// merged with the room's recent lines, which hold what the history writer has not stored yet (it gathers for a
/// moment) and all there is without a database; lines taken back lately are left out even if still stored.
/// </summary>
public static class RoomHistoryReader
{
    /// <summary>
    /// The lines strictly after <paramref name="after"/> and before <paramref name="before"/> (either open): the newest
    /// <paramref name="limit"/> of them when <paramref name="newest"/>, else the oldest; oldest first.
    /// </summary>
    public static async Task<IReadOnlyList<HistoryEntry>> ReadAsync(
        Room room, IChatStore? store, DateTimeOffset? after, DateTimeOffset? before, int limit, bool newest, CancellationToken cancel)
    {
        var recent = room.Recent.Last(room.Recent.Capacity).Where(entry => IsSpoken(entry) && Within(entry.Time, after, before));
        var stored = store is null ? [] : await store.ReadSpokenLinesAsync(room.HistoryKey, after, before, limit, newest, cancel).ConfigureAwait(false);
        // The recent copy of a line first: the database keeps a time to a tenth of a millisecond, which could put a
        // line after the one said just after it.
        var lines = recent.Concat(stored)
            .Where(entry => !room.Recent.WasRemoved(entry.MessageId))
            .DistinctBy(SameLine)
            .OrderBy(entry => entry.Time)
            .ToList();
        return newest ? lines[Math.Max(0, lines.Count - limit)..] : lines[..Math.Min(limit, lines.Count)];
    }

    private static bool IsSpoken(HistoryEntry entry) => entry.Kind is HistoryKind.Message or HistoryKind.Action;

    private static bool Within(DateTimeOffset time, DateTimeOffset? after, DateTimeOffset? before) =>
        (after is null || time > after) && (before is null || time < before);

    // A line both stored and among the recent lines is one line: known by its id, or (a line from before ids, read back
    // from the database into the recent lines at start) by what it was.
    private static object SameLine(HistoryEntry entry) => (object?)entry.MessageId ?? (entry.Time, entry.Nick, entry.Text);
}
