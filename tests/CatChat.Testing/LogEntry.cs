using Microsoft.Extensions.Logging;

namespace CatChat.Testing;

/// <summary>One log entry: where it came from, its level and event, and its message as the console shows it.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message)
{
    public override string ToString() => $"{Level} {Category}[{EventId.Id}] {Message}";
}
