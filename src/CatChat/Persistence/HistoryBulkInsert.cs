using CatChat.Chat;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace CatChat.Persistence;

/// <summary>
/// Stores a batch of history lines in one transaction, below EF Core: on PostgreSQL one binary COPY, on
/// SQLite multi-row INSERTs (<see cref="SqliteHistoryInsert"/>). Measured with bench/history-throughput.py: several times the lines
/// per second of EF's change tracker and batched INSERTs. Table and column names come from EF's model, so
/// they follow the migrations.
/// </summary>
internal static class HistoryBulkInsert
{
    public static async Task AppendAsync(CatChatDbContext db, IReadOnlyList<HistoryEntry> batch, CancellationToken cancel)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var history = db.Model.FindEntityType(typeof(HistoryRow)) ?? throw new InvalidOperationException("history is not in the model");
        var table = StoreObjectIdentifier.Table(history.GetTableName()!, history.GetSchema());
        var limits = new ColumnLimits(
            history.FindProperty(nameof(HistoryRow.Nick))!.GetMaxLength(),
            history.FindProperty(nameof(HistoryRow.Text))!.GetMaxLength(),
            history.FindProperty(nameof(HistoryRow.MessageId))!.GetMaxLength());
        var columns = new[]
            {
                nameof(HistoryRow.Time), nameof(HistoryRow.Kind), nameof(HistoryRow.Nick), nameof(HistoryRow.Text), nameof(HistoryRow.Room),
                nameof(HistoryRow.MessageId),
            }
            .Select(name => Quote(history.FindProperty(name)!.GetColumnName(table)!))
            .ToArray();

        await db.Database.OpenConnectionAsync(cancel);
        switch (db.Database.GetDbConnection())
        {
            case NpgsqlConnection postgres:
                await CopyAsync(postgres, Quote(table.Name), columns, batch, limits, cancel);
                break;
            case SqliteConnection sqlite:
                // Microsoft.Data.Sqlite's calls run synchronously anyway; the caller is already on the thread pool.
                SqliteHistoryInsert.Insert(sqlite, Quote(table.Name), columns, batch, limits);
                break;
            default:
                throw new InvalidOperationException("Unknown database connection " + db.Database.GetDbConnection().GetType().Name);
        }
    }

    private static async Task CopyAsync(
        NpgsqlConnection connection, string table, string[] columns, IReadOnlyList<HistoryEntry> batch, ColumnLimits limits, CancellationToken cancel)
    {
        // COPY is one statement: all of the batch is stored, or none of it.
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)", cancel);
        foreach (var entry in batch)
        {
            await copy.StartRowAsync(cancel);
            await copy.WriteAsync(entry.Time.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancel);
            await copy.WriteAsync(Kind(entry.Kind), NpgsqlDbType.Varchar, cancel);
            if (entry.Nick is null)
            {
                await copy.WriteNullAsync(cancel);
            }
            else
            {
                await copy.WriteAsync(Cut(entry.Nick, limits.Nick), NpgsqlDbType.Varchar, cancel);
            }

            await copy.WriteAsync(Cut(entry.Text, limits.Text), NpgsqlDbType.Varchar, cancel);
            if (entry.Room is null)
            {
                await copy.WriteNullAsync(cancel);
            }
            else
            {
                await copy.WriteAsync(entry.Room, NpgsqlDbType.Varchar, cancel);
            }

            if (StoredMessageId(entry.MessageId, limits.MessageId) is { } messageId)
            {
                await copy.WriteAsync(messageId, NpgsqlDbType.Varchar, cancel);
            }
            else
            {
                await copy.WriteNullAsync(cancel);
            }
        }

        await copy.CompleteAsync(cancel);
    }

    /// <summary>How a kind is stored: its name in lower case, as EfChatStore reads it back.</summary>
    public static string Kind(HistoryKind kind) => kind switch
    {
        HistoryKind.Message => "message",
        HistoryKind.Action => "action",
        HistoryKind.Notice => "notice",
        HistoryKind.Private => "private",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Cuts a text to its column's length. PostgreSQL refuses a longer one, and a refused batch is retried for
    /// ever, holding up all the history after it; --max-line-bytes allows lines longer than the column.
    /// SQLite ignores lengths, but both keep the same. Never cuts a surrogate pair in half.
    /// </summary>
    public static string Cut(string text, int? maxLength)
    {
        var length = CutLength(text, maxLength);
        return length == text.Length ? text : text[..length];
    }

    /// <summary>How many characters of the text <see cref="Cut"/> keeps.</summary>
    public static int CutLength(string text, int? maxLength)
    {
        if (maxLength is not { } max || text.Length <= max)
        {
            return text.Length;
        }

        return char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
    }

    /// <summary>
    /// The message id as stored: none when it is longer than its column. Ours are 17 to 32 characters, but one from
    /// another node comes as it was sent: cut, it would name another line; whole, PostgreSQL would refuse the batch,
    /// and a refused batch is retried for ever.
    /// </summary>
    public static string? StoredMessageId(string? messageId, int? maxLength) =>
        messageId is not null && (maxLength is not { } max || messageId.Length <= max) ? messageId : null;

    /// <summary>The history columns' lengths, from EF's model.</summary>
    public sealed record ColumnLimits(int? Nick, int? Text, int? MessageId);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
