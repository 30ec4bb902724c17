namespace CatChat.Chat;

/// <summary>A page of stored history, newest first, and where the next (older) page starts; null at the end.</summary>
public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Lines, HistoryCursor? Next);
