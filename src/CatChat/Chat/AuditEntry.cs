namespace CatChat.Chat;

/// <summary>An administrator's action, for the audit log: who did what, when, from where.</summary>
public sealed record AuditEntry(DateTimeOffset Time, string Actor, string Action, string Detail);
