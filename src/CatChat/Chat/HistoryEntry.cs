namespace CatChat.Chat;

/// <summary>One line of chat history: a message, an action or a notice, as it was broadcast.</summary>
/// <param name="Room">The room it was said in; null for the default room.</param>
/// <param name="MessageId">Its message id (IRCv3 <c>msgid</c>), the same on every node, by which it can be redacted; null for lines without one.</param>
public sealed record HistoryEntry(DateTimeOffset Time, HistoryKind Kind, string? Nick, string Text, string? Room = null, string? MessageId = null);

/// <summary>What kind of line a history entry is.</summary>
public enum HistoryKind
{
    Message,
    Action,
    Notice,
    Private,
}
