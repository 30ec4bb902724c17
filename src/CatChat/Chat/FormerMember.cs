namespace CatChat.Chat;

/// <summary>
/// Someone who was here under a nickname they no longer hold (they left, or took another): IRC's WHOWAS entry.
/// Always a member of this node, so whichever front door answers names itself as their server.
/// </summary>
public sealed record FormerMember(string Nick, string User, string Host, string RealName, DateTimeOffset Until);
