namespace CatChat.Chat;

/// <summary>
/// One thing that happened in the chat. Fields that do not apply to a kind are null.
/// <see cref="Users"/> is the number of people online just after the event.
/// </summary>
public sealed record ChatEvent(
    ChatEventKind Kind,
    DateTimeOffset Time,
    int Users,
    string? Nick = null,
    string? NewNick = null,
    string? Text = null,
    string? Reason = null,
    string? By = null,
    string? Room = null)
{
    /// <summary>True for chat lines, which subscribers get only when they ask for them.</summary>
    public bool IsChatLine => IsChatLineKind(Kind);

    /// <summary>True for the kinds that are people's lines (the chat's hot path), as opposed to its comings and goings.</summary>
    public static bool IsChatLineKind(ChatEventKind kind) => kind is ChatEventKind.Message or ChatEventKind.Action;
}
