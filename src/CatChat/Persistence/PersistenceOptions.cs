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
}
