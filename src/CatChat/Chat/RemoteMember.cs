namespace CatChat.Chat;

/// <summary>A user connected to another node of the cluster, as this node last heard of them.</summary>
public sealed record RemoteMember(
    string NodeId, string NodeName, string ConnectionId, string Nick, string RemoteAddress, DateTimeOffset ConnectedAt);
