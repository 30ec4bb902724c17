namespace CatChat.Chat;

/// <summary>One node of the cluster as this node sees it; <see cref="IsSelf"/> marks this node.</summary>
public sealed record ClusterNode(string Id, string Name, int Users, DateTimeOffset LastSeen, bool IsSelf);
