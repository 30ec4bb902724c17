namespace CatChat.Chat;

/// <summary>
/// Where the chat's lasting state lives (a database). The chat path never calls it directly: history
/// goes through <see cref="IHistorySink"/>; only administrators' writes and explicit history reads wait on it.
/// </summary>
public interface IChatStore
{
    /// <summary>The stored value of a run-time setting (such as the banner), or null.</summary>
    Task<string?> GetSettingAsync(string key, CancellationToken cancel);

    /// <summary>Every stored setting whose key starts with <paramref name="prefix"/> (such as the rooms' topics).</summary>
    Task<IReadOnlyDictionary<string, string>> ReadSettingsAsync(string prefix, CancellationToken cancel);

    /// <summary>Stores a setting and its audit entry in one transaction; throws <see cref="StoreUnavailableException"/>.</summary>
    Task SaveSettingAsync(string key, string value, AuditEntry audit, CancellationToken cancel);

    /// <summary>Stores an audit entry; throws <see cref="StoreUnavailableException"/>.</summary>
    Task AppendAuditAsync(AuditEntry audit, CancellationToken cancel);

    /// <summary>Appends a batch of history lines in one transaction.</summary>
    Task AppendHistoryAsync(IReadOnlyList<HistoryEntry> batch, CancellationToken cancel);

    /// <summary>
    /// History of one room before a time (newest first), optionally only lines whose text or nick contains
    /// <paramref name="search"/>. <paramref name="room"/> is a <see cref="Room.HistoryKey"/>: null for the default room.
    /// </summary>
    Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(DateTimeOffset? before, int limit, string? search, string? room, CancellationToken cancel);

    /// <summary>
    /// A page of history before <paramref name="before"/> (from the newest when null), newest first, with the
    /// cursor of the next page; optionally only lines whose text or nick contains <paramref name="search"/>.
    /// </summary>
    Task<HistoryPage> ReadHistoryPageAsync(HistoryCursor? before, int limit, string? search, string? room, CancellationToken cancel);

    /// <summary>
    /// The lines and actions of one room (a <see cref="Room.HistoryKey"/>) stored strictly between two places in the
    /// history (time, then the stored line's id: an id of 0 or <see cref="long.MaxValue"/> makes a place a time alone),
    /// either open: the newest <paramref name="limit"/> of them when <paramref name="newest"/>, else the oldest; oldest first.
    /// </summary>
    Task<IReadOnlyList<HistoryEntry>> ReadSpokenLinesAsync(string? room, HistoryCursor? after, HistoryCursor? before, int limit, bool newest, CancellationToken cancel);

    /// <summary>Where the stored line of <paramref name="room"/> with this message id is in the history, or null.</summary>
    Task<HistoryCursor?> FindLinePositionAsync(string? room, string messageId, CancellationToken cancel);

    /// <summary>Deletes the stored lines with these message ids; returns how many there were.</summary>
    Task<int> DeleteHistoryAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancel);

    /// <summary>Deletes history older than <paramref name="olderThan"/> and beyond the newest <paramref name="keepRows"/>.</summary>
    Task<int> PruneHistoryAsync(DateTimeOffset olderThan, int keepRows, CancellationToken cancel);
}

/// <summary>The database cannot take a write now; the caller answers 503 and changes nothing.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
