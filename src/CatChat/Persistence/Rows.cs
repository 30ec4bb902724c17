namespace CatChat.Persistence;

// The database's rows. Kept apart from the chat's records so the schema can evolve on its own.

/// <summary>A run-time setting, such as the banner.</summary>
public sealed class SettingRow
{
    public required string Key { get; set; }
    public required string Value { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One broadcast line.</summary>
public sealed class HistoryRow
{
    public long Id { get; set; }
    public DateTimeOffset Time { get; set; }
    public required string Kind { get; set; }
    public string? Nick { get; set; }
    public required string Text { get; set; }

    /// <summary>The room it was said in; null for the default room (and every line from before rooms).</summary>
    public string? Room { get; set; }

    /// <summary>Its message id (IRCv3 msgid), by which a redaction finds it; null for lines without one (and every line from before ids).</summary>
    public string? MessageId { get; set; }
}

/// <summary>One administrator action.</summary>
public sealed class AuditRow
{
    public long Id { get; set; }
    public DateTimeOffset Time { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Detail { get; set; }
}
