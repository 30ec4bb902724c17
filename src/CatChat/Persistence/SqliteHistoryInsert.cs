using System.Buffers;
using System.Text;
using CatChat.Chat;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CatChat.Persistence;

/// <summary>
/// Stores a batch of history lines in SQLite, in one transaction, with INSERTs of many rows each whose values are bound
/// by position through SQLitePCL's raw API. Measured under fan-out load: Microsoft.Data.Sqlite binds every parameter by
/// name (SQLite searches the names one by one), allocates each value's UTF-8 copy and sets up a reader for every
/// statement run; here one buffer is reused and each statement stores <see cref="RowsPerInsert"/> lines.
/// </summary>
internal static class SqliteHistoryInsert
{
    /// <summary>Rows per INSERT: the statement's fixed cost is shared by this many lines (6 parameters each).</summary>
    public const int RowsPerInsert = 64;

    private const int ColumnsPerRow = 6;

    // The stored kind names, encoded once (the chat's kinds are a handful of fixed words).
    private static readonly byte[][] KindNames = Enum.GetValues<HistoryKind>()
        .Select(kind => Encoding.UTF8.GetBytes(HistoryBulkInsert.Kind(kind)))
        .ToArray();

    public static void Insert(SqliteConnection connection, string table, string[] columns, IReadOnlyList<HistoryEntry> batch, HistoryBulkInsert.ColumnLimits limits)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("the SQLite connection is not open");
        var scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            using var transaction = connection.BeginTransaction();
            var done = 0;
            if (batch.Count >= RowsPerInsert)
            {
                using var full = Prepare(db, table, columns, RowsPerInsert);
                for (; batch.Count - done >= RowsPerInsert; done += RowsPerInsert)
                {
                    Run(db, full, batch, done, RowsPerInsert, limits, ref scratch);
                }
            }

            if (done < batch.Count)
            {
                using var rest = Prepare(db, table, columns, batch.Count - done);
                Run(db, rest, batch, done, batch.Count - done, limits, ref scratch);
            }

            // Leaving without a commit (an exception above) rolls the whole batch back.
            transaction.Commit();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>The time as the SQLite model stores it: EF's DateTimeOffsetToBinaryConverter of the UTC time.</summary>
    public static long StoredTime(DateTimeOffset time)
    {
        // That converter keeps ticks / 1000 above 11 bits of offset in minutes; in UTC the offset bits are 0.
        var utc = time.ToUniversalTime();
        return ((utc.Ticks / 1000) << 11) | ((long)utc.Offset.TotalMinutes & 0x7FF);
    }

    private static sqlite3_stmt Prepare(sqlite3 db, string table, string[] columns, int rows)
    {
        var row = "(" + string.Join(", ", Enumerable.Repeat("?", ColumnsPerRow)) + ")";
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES {string.Join(", ", Enumerable.Repeat(row, rows))}";
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        return statement;
    }

    private static void Run(
        sqlite3 db, sqlite3_stmt insert, IReadOnlyList<HistoryEntry> batch, int first, int rows, HistoryBulkInsert.ColumnLimits limits, ref byte[] scratch)
    {
        for (var r = 0; r < rows; r++)
        {
            var entry = batch[first + r];
            var column = (r * ColumnsPerRow) + 1; // SQLite numbers parameters from 1
            Check(db, raw.sqlite3_bind_int64(insert, column, StoredTime(entry.Time)));
            Check(db, raw.sqlite3_bind_text(insert, column + 1, KindNames[(int)entry.Kind]));
            Check(db, entry.Nick is null
                ? raw.sqlite3_bind_null(insert, column + 2)
                : BindText(insert, column + 2, entry.Nick, limits.Nick, ref scratch));
            Check(db, BindText(insert, column + 3, entry.Text, limits.Text, ref scratch));
            Check(db, entry.Room is null
                ? raw.sqlite3_bind_null(insert, column + 4)
                : BindText(insert, column + 4, entry.Room, maxLength: null, ref scratch));
            Check(db, HistoryBulkInsert.StoredMessageId(entry.MessageId, limits.MessageId) is { } messageId
                ? BindText(insert, column + 5, messageId, maxLength: null, ref scratch)
                : raw.sqlite3_bind_null(insert, column + 5));
        }

        Check(db, raw.sqlite3_step(insert), raw.SQLITE_DONE);
        Check(db, raw.sqlite3_reset(insert));
    }

    // SQLite copies a bound text at once (SQLitePCL binds spans as SQLITE_TRANSIENT), so one buffer serves every value.
    private static int BindText(sqlite3_stmt insert, int column, string text, int? maxLength, ref byte[] scratch)
    {
        var kept = text.AsSpan(0, HistoryBulkInsert.CutLength(text, maxLength));
        var most = Encoding.UTF8.GetMaxByteCount(kept.Length);
        if (scratch.Length < most)
        {
            ArrayPool<byte>.Shared.Return(scratch);
            scratch = ArrayPool<byte>.Shared.Rent(most);
        }

        var length = Encoding.UTF8.GetBytes(kept, scratch);
        return raw.sqlite3_bind_text(insert, column, scratch.AsSpan(0, length));
    }

    private static void Check(sqlite3 db, int result, int expected = raw.SQLITE_OK)
    {
        if (result != expected)
        {
            SqliteException.ThrowExceptionForRC(result, db);
            throw new SqliteException($"SQLite answered {result}, expected {expected}", result);
        }
    }
}
