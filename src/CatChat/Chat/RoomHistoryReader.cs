namespace CatChat.Chat;

/// <summary>
/// A room's spoken lines (lines and actions) between two places, as IRC's CHATHISTORY asks for them: the stored history
/// merged with the room's recent lines, which hold what the history writer has not stored yet (it gathers for a
/// moment) and all there is without a database; lines taken back lately are left out even if still stored.
/// </summary>
/// <remarks>
/// A place is a <see cref="HistoryCursor"/>: a time and, for a stored line, its id. The recent lines are the room's
/// newest, kept with their exact times, so they decide for themselves: a stored line that is among them counts as the
/// recent one, and the stored ones that are not are older than all of them. As a lower bound, an id of 0 takes the
/// lines at that time too ("from here on"); any other id, lines after it.
/// </remarks>
public static class RoomHistoryReader
{
    /// <summary>
    /// The lines after <paramref name="after"/> and before <paramref name="before"/> (either open): the newest
    /// <paramref name="limit"/> of them when <paramref name="newest"/>, else the oldest; oldest first.
    /// </summary>
    public static async Task<IReadOnlyList<HistoryEntry>> ReadAsync(
        Room room, IChatStore? store, HistoryCursor? after, HistoryCursor? before, int limit, bool newest, CancellationToken cancel)
    {
        var kept = room.Recent.Last(room.Recent.Capacity).Where(IsSpoken).ToList();
        var recent = kept.Where(entry => Within(entry.Time, after, before));
        IEnumerable<HistoryEntry> stored = [];
        if (store is not null)
        {
            // Asked for more, since some of them may be recent lines too, which are then left to the recent copy.
            var keptLines = kept.Select(SameLine).ToHashSet();
            stored = (await store.ReadSpokenLinesAsync(room.HistoryKey, after, before, limit + kept.Count, newest, cancel).ConfigureAwait(false))
                .Where(entry => !keptLines.Contains(SameLine(entry)));
        }

        var lines = stored.Concat(recent).Where(entry => !room.Recent.WasRemoved(entry.MessageId)).ToList();
        return newest ? lines[Math.Max(0, lines.Count - limit)..] : lines[..Math.Min(limit, lines.Count)];
    }

    private static bool IsSpoken(HistoryEntry entry) => entry.Kind is HistoryKind.Message or HistoryKind.Action;

    private static bool Within(DateTimeOffset time, HistoryCursor? after, HistoryCursor? before) =>
        (after is not { } from || time > from.Time || (from.Id == 0 && time == from.Time)) && (before is not { } to || time < to.Time);

    // A line both stored and among the recent lines is one line: known by its id, or (a line from before ids, read back
    // from the database into the recent lines at start) by what it was.
    private static object SameLine(HistoryEntry entry) => (object?)entry.MessageId ?? (entry.Time, entry.Nick, entry.Text);
}
