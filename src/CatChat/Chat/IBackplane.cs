namespace CatChat.Chat;

/// <summary>
/// What ties this node's room to the other nodes of a cluster. Nothing here waits for the network except
/// <see cref="ClaimNickAsync"/>: everything else is queued and sent in the background, in order.
/// </summary>
public interface IBackplane
{
    /// <summary>False for a single node; the room then behaves exactly as without a backplane.</summary>
    bool IsClustered { get; }

    /// <summary>This node's id, unique per process.</summary>
    string NodeId { get; }

    /// <summary>This node's name, as operators know it.</summary>
    string NodeName { get; }

    BackplaneState State { get; }

    /// <summary>The other nodes and their users.</summary>
    ClusterView Cluster { get; }

    BackplaneMetrics Metrics { get; }

    /// <summary>Queues a message for the other nodes; never waits. Dropped (and counted) while split.</summary>
    void Publish(ClusterMessage message);

    /// <summary>Asks the cluster for <paramref name="nick"/> on behalf of a member of this node.</summary>
    ValueTask<NickClaim> ClaimNickAsync(ChatMember member, string nick, CancellationToken cancel = default);

    /// <summary>A member joined this node under a guest nickname: record them, and claim the nickname.</summary>
    void MemberJoined(ChatMember member);

    /// <summary>A member of this node now holds a new nickname (already claimed): release the old one.</summary>
    void MemberRenamed(ChatMember member, string oldNick);

    /// <summary>A member left this node: forget them and release their nickname.</summary>
    void MemberLeft(ChatMember member);

    /// <summary>A member of this node joined or left a room: record their rooms for nodes that catch up later.</summary>
    void MemberUpdated(ChatMember member);

    /// <summary>
    /// A room other than the default one now has a member on this node: hear its lines from the other nodes. Called
    /// under the chat's lock, in the order rooms open and close; never waits.
    /// </summary>
    void RoomOpened(string room);

    /// <summary>The room's last member on this node left: its lines from the other nodes need not reach this node any more.</summary>
    void RoomClosed(string room);
}
