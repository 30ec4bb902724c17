namespace CatChat.Persistence;

/// <summary>The history writer's trouble: failing since, attempts at the current batch, the last reason.</summary>
internal sealed record HistoryWriteFailure(DateTimeOffset Since, int Attempts, string Reason);
