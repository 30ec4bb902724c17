using System.Data.Common;
using CatChat.Chat;
using Microsoft.EntityFrameworkCore;

namespace CatChat.Persistence;

/// <summary>
/// <see cref="IChatStore"/> on EF Core, for SQLite or PostgreSQL. A fresh context per call; every failure
/// to reach the database becomes a <see cref="StoreUnavailableException"/>.
/// </summary>
internal sealed class EfChatStore(Func<CatChatDbContext> createContext) : IChatStore
{
    /// <summary>Message ids per DELETE: each is one parameter, and SQLite's oldest builds take no more than 999.</summary>
    private const int DeleteChunk = 500;

    public Task<string?> GetSettingAsync(string key, CancellationToken cancel) => GuardAsync(async () =>
    {
        await using var db = createContext();
        return await db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync(cancel);
    });

    public Task<IReadOnlyDictionary<string, string>> ReadSettingsAsync(string prefix, CancellationToken cancel) => GuardAsync(async () =>
    {
        await using var db = createContext();
        var rows = await db.Settings.AsNoTracking().Where(s => s.Key.StartsWith(prefix)).ToListAsync(cancel);
        return (IReadOnlyDictionary<string, string>)rows.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
    });

    public Task SaveSettingAsync(string key, string value, AuditEntry audit, CancellationToken cancel) => GuardAsync(async () =>
    {
        await using var db = createContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancel);
        var row = await db.Settings.FindAsync([key], cancel);
        if (row is null)
        {
            db.Settings.Add(new SettingRow { Key = key, Value = value, UpdatedAt = audit.Time.ToUniversalTime() });
        }
        else
        {
            row.Value = value;
            row.UpdatedAt = audit.Time.ToUniversalTime();
        }

        db.Audit.Add(ToRow(audit));
        await db.SaveChangesAsync(cancel);
        await transaction.CommitAsync(cancel);
        return true;
    });

    public Task AppendAuditAsync(AuditEntry audit, CancellationToken cancel) => GuardAsync(async () =>
    {
        await using var db = createContext();
        db.Audit.Add(ToRow(audit));
        await db.SaveChangesAsync(cancel);
        return true;
    });

    public Task AppendHistoryAsync(IReadOnlyList<HistoryEntry> batch, CancellationToken cancel) => GuardAsync(async () =>
    {
        await using var db = createContext();
        await HistoryBulkInsert.AppendAsync(db, batch, cancel);
        return true;
    });

    public async Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(DateTimeOffset? before, int limit, string? search, string? room, CancellationToken cancel) =>
        (await ReadHistoryPageAsync(before is { } time ? HistoryCursor.Before(time) : null, limit, search, room, cancel).ConfigureAwait(false)).Lines;

    public Task<HistoryPage> ReadHistoryPageAsync(HistoryCursor? before, int limit, string? search, string? room, CancellationToken cancel) => GuardAsync(async () =>
    {
        if (limit <= 0)
        {
            return new HistoryPage([], null);
        }

        await using var db = createContext();

        var query = InRoom(db, room);
        if (before is { } cursor)
        {
            var time = cursor.Time.ToUniversalTime();
            var id = cursor.Id;

            // Keyset on (time, id): "time <= T" is a range on the time index; the id orders lines that share a time.
            query = query.Where(h => h.Time <= time && (h.Time < time || h.Id < id));
        }

        if (!string.IsNullOrEmpty(search))
        {
            query = query.Where(h => h.Text.Contains(search) || (h.Nick != null && h.Nick.Contains(search)));
        }

        // One row more than asked says whether there is a next page, so the last page is never an empty one.
        var rows = await query.OrderByDescending(h => h.Time).ThenByDescending(h => h.Id).Take(limit + 1).ToListAsync(cancel);
        var page = rows.Take(limit).ToList();
        HistoryCursor? next = rows.Count > limit ? new HistoryCursor(page[^1].Time, page[^1].Id) : null;
        return new HistoryPage(page.Select(ToEntry).ToList(), next);
    });

    public Task<IReadOnlyList<HistoryEntry>> ReadSpokenLinesAsync(
        string? room, HistoryCursor? after, HistoryCursor? before, int limit, bool newest, CancellationToken cancel) => GuardAsync<IReadOnlyList<HistoryEntry>>(async () =>
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var db = createContext();
        var message = HistoryBulkInsert.Kind(HistoryKind.Message);
        var action = HistoryBulkInsert.Kind(HistoryKind.Action);
        var query = InRoom(db, room).Where(h => h.Kind == message || h.Kind == action);
        // Keyset on (time, id), as paging does: the stored time is cut to a tenth of a millisecond, so lines said close
        // together share one and only the id tells their order.
        if (after is { } from)
        {
            var (time, id) = (from.Time.ToUniversalTime(), from.Id);
            query = query.Where(h => h.Time >= time && (h.Time > time || h.Id > id));
        }

        if (before is { } to)
        {
            var (time, id) = (to.Time.ToUniversalTime(), to.Id);
            query = query.Where(h => h.Time <= time && (h.Time < time || h.Id < id));
        }

        var rows = newest
            ? await query.OrderByDescending(h => h.Time).ThenByDescending(h => h.Id).Take(limit).ToListAsync(cancel)
            : await query.OrderBy(h => h.Time).ThenBy(h => h.Id).Take(limit).ToListAsync(cancel);
        if (newest)
        {
            rows.Reverse();
        }

        return rows.Select(ToEntry).ToList();
    });

    public Task<HistoryCursor?> FindLinePositionAsync(string? room, string messageId, CancellationToken cancel) => GuardAsync(async () =>
    {
        await using var db = createContext();
        var found = await InRoom(db, room).Where(h => h.MessageId == messageId).OrderBy(h => h.Id).Select(h => new { h.Time, h.Id }).Take(1).ToListAsync(cancel);
        return found.Count == 0 ? (HistoryCursor?)null : new HistoryCursor(found[0].Time, found[0].Id);
    });

    // Lines from before rooms have none: they are the default room's.
    private static IQueryable<HistoryRow> InRoom(CatChatDbContext db, string? room) =>
        room is null ? db.History.AsNoTracking().Where(h => h.Room == null) : db.History.AsNoTracking().Where(h => h.Room == room);

    public Task<int> DeleteHistoryAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancel) => GuardAsync(async () =>
    {
        var deleted = 0;
        if (messageIds.Count == 0)
        {
            return deleted;
        }

        // One statement per chunk, each on the message id index. Not one transaction: a redaction is idempotent, so
        // a failure part way is put right by the caller's retry of the whole set.
        await using var db = createContext();
        foreach (var chunk in messageIds.Distinct(StringComparer.Ordinal).Chunk(DeleteChunk))
        {
            deleted += await db.History.Where(h => h.MessageId != null && chunk.Contains(h.MessageId)).ExecuteDeleteAsync(cancel);
        }

        return deleted;
    });

    public Task<int> PruneHistoryAsync(DateTimeOffset olderThan, int keepRows, CancellationToken cancel) => GuardAsync(async () =>
    {
        await using var db = createContext();
        var utc = olderThan.ToUniversalTime();
        var deleted = await db.History.Where(h => h.Time < utc).ExecuteDeleteAsync(cancel);
        var newestKept = await db.History.OrderByDescending(h => h.Id).Skip(keepRows).Select(h => (long?)h.Id).FirstOrDefaultAsync(cancel);
        if (newestKept is { } cutoff)
        {
            deleted += await db.History.Where(h => h.Id <= cutoff).ExecuteDeleteAsync(cancel);
        }

        return deleted;
    });

    private static AuditRow ToRow(AuditEntry audit) => new()
    {
        Time = audit.Time.ToUniversalTime(),
        Actor = audit.Actor,
        Action = audit.Action,
        Detail = audit.Detail,
    };

    private static HistoryEntry ToEntry(HistoryRow row) => new(
        row.Time,
        Enum.TryParse<HistoryKind>(row.Kind, ignoreCase: true, out var kind) ? kind : HistoryKind.Notice,
        row.Nick,
        row.Text,
        row.Room,
        row.MessageId);

    private static async Task<T> GuardAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            // SQLite's "async" calls run synchronously: keep them off the caller's thread.
            return await Task.Run(operation).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException or TimeoutException or IOException)
        {
            throw new StoreUnavailableException("The database is unavailable: " + ex.GetBaseException().Message, ex);
        }
    }
}
