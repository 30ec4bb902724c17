namespace CatChat.Chat;

/// <summary>One line of chat history: a message, an action or a notice, as it was broadcast.</summary>
public sealed record HistoryEntry(DateTimeOffset Time, HistoryKind Kind, string? Nick, string Text);

/// <summary>What kind of line a history entry is.</summary>
public enum HistoryKind
{
    Message,
    Action,
    Notice,
    Private,
}
