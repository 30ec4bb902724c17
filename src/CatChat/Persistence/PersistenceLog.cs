namespace CatChat.Persistence;

/// <summary>Log messages of the database side.</summary>
internal static partial class PersistenceLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Database: {Provider} ({Where})")]
    public static partial void Opened(ILogger logger, string provider, string where);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "History writes are failing; chat goes on, retrying in {Delay}: {Reason}")]
    public static partial void HistoryWriteFailed(ILogger logger, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "History writes resumed after {Failures} failed attempts")]
    public static partial void HistoryWritesResumed(ILogger logger, int failures);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "History queue full: {Dropped} oldest pending lines dropped so far")]
    public static partial void HistoryLinesDropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Shutdown: {Pending} history lines could not be written in time")]
    public static partial void HistoryNotFlushed(ILogger logger, int pending);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Pruned {Count} old history lines")]
    public static partial void HistoryPruned(ILogger logger, int count);
}
