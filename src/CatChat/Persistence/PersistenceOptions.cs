using Microsoft.Data.Sqlite;
using Npgsql;

namespace CatChat.Persistence;

/// <summary>Where the history and settings are kept, and how much of it. Read at start.</summary>
public sealed class PersistenceOptions
{
    /// <summary>Directory for CatChat's data: the SQLite file when <see cref="Database"/> is empty.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>Empty: SQLite in the data directory. Otherwise a PostgreSQL connection string (or a SQLite "Data Source=...").</summary>
    public string Database { get; set; } = "";

    /// <summary>History lines that may wait for the database before the oldest are dropped.</summary>
    public int HistoryQueue { get; set; } = 10_000;

    /// <summary>History older than this is pruned; zero keeps it forever.</summary>
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>At most this many history lines are kept.</summary>
    public int HistoryMaxRows { get; set; } = 1_000_000;

    /// <summary>Whether <paramref name="database"/> names SQLite (empty, or "Data Source=...") rather than PostgreSQL.</summary>
    public static bool IsSqlite(string database) =>
        database.Length == 0 || database.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="database"/> is not a connection string its provider accepts, or null when it is.</summary>
    public static string? ValidateDatabase(string database)
    {
        try
        {
            _ = IsSqlite(database) ? (object)new SqliteConnectionStringBuilder(database) : new NpgsqlConnectionStringBuilder(database);
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            // Only the outer message: it names a keyword or a position, while the inner ones repeat values (a password, say).
            var reason = ex is ArgumentException { ParamName: { } parameter }
                ? ex.Message.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal)
                : ex.Message;
            return $"is not a connection string {(IsSqlite(database) ? "SQLite" : "PostgreSQL")} accepts: {reason}";
        }
    }
}
