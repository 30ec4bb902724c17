using Microsoft.Extensions.Logging;

namespace CatChat.Testing;

/// <summary>
/// Everything a server logs (at the levels its settings let through), kept so a test can wait for the entry that
/// says a thing happened ("History writes are failing", "connection closed") instead of polling for its effect.
/// </summary>
public sealed class LogCollector : ILoggerProvider
{
    private readonly List<LogEntry> _entries = [];
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Seen)> _waiters = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>
    /// The first entry of the event named <paramref name="eventName"/> (the <c>[LoggerMessage]</c> method's name)
    /// that <paramref name="match"/> accepts, logged already or from now on; fails after
    /// <see cref="LineCollector.Patience"/> with what was logged.
    /// </summary>
    public async Task<LogEntry> WaitForAsync(string eventName, Func<LogEntry, bool>? match = null)
    {
        TaskCompletionSource<LogEntry> seen;
        lock (_entries)
        {
            bool Wanted(LogEntry entry) => entry.EventId.Name == eventName && (match is null || match(entry));
            if (_entries.Find(Wanted) is { } logged)
            {
                return logged;
            }

            seen = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Wanted, seen));
        }

        try
        {
            return await seen.Task.WaitAsync(LineCollector.Patience);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException(
                $"CatChat never logged {eventName}{(match is null ? "" : " as expected")}; it logged:\n" + string.Join("\n", Entries));
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        List<TaskCompletionSource<LogEntry>> woken = [];
        lock (_entries)
        {
            _entries.Add(entry);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(entry))
                {
                    woken.Add(_waiters[i].Seen);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var seen in woken)
        {
            seen.TrySetResult(entry);
        }
    }

    // The host's filters decide what reaches a provider; everything that does is kept.
    private sealed class Logger(LogCollector collector, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            collector.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception)));
    }
}
