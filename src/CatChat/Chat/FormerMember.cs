namespace CatChat.Chat;

/// <summary>
/// Someone who held a nickname they no longer hold (they left, or took another): IRC's WHOWAS entry. <see cref="Server"/>
/// is the node they were on when it was another; null when it was this one, which whichever front door answers names.
/// </summary>
public sealed record FormerMember(string Nick, string User, string Host, string RealName, DateTimeOffset Until, string? Server = null);
