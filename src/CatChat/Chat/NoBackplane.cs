namespace CatChat.Chat;

/// <summary>The single-node default: no other nodes, every nickname is this node's to give.</summary>
public sealed class NoBackplane : IBackplane
{
    public static NoBackplane Instance { get; } = new();

    public bool IsClustered => false;

    public string NodeId => string.Empty;

    public string NodeName => string.Empty;

    public BackplaneState State => BackplaneState.Off;

    public ClusterView Cluster { get; } = new();

    public BackplaneMetrics Metrics { get; } = new();

    public void Publish(ClusterMessage message)
    {
    }

    public ValueTask<NickClaim> ClaimNickAsync(ChatMember member, string nick, CancellationToken cancel = default) =>
        ValueTask.FromResult(NickClaim.Claimed);

    public void MemberJoined(ChatMember member)
    {
    }

    public void MemberRenamed(ChatMember member, string oldNick)
    {
    }

    public void MemberLeft(ChatMember member)
    {
    }

    public void MemberUpdated(ChatMember member)
    {
    }

    public void RoomOpened(string room)
    {
    }

    public void RoomClosed(string room)
    {
    }
}
