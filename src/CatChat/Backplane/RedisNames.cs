using StackExchange.Redis;

namespace CatChat.Backplane;

/// <summary>
/// Every Redis channel and key CatChat uses, in one place. The keys share the hash tag <c>{catchat}</c>, so on a
/// Redis Cluster they live on one master and the scripts that claim many nicknames at once stay legal; the channels
/// are what spreads over the masters.
/// </summary>
internal static class RedisNames
{
    /// <summary>A set of the ids of nodes that have joined; a node's entry outlives it until someone finds its <see cref="Node"/> key gone.</summary>
    public static readonly RedisKey Nodes = "{catchat}:nodes";

    /// <summary>A node's name, while the node lives: refreshed by its heartbeat, gone after the presence timeout.</summary>
    public static RedisKey Node(string nodeId) => "{catchat}:node:" + nodeId;

    /// <summary>A hash of a node's users: connection id to <see cref="MemberRecord"/> JSON; expires with the node.</summary>
    public static RedisKey Members(string nodeId) => "{catchat}:members:" + nodeId;

    /// <summary>The claim on a nickname (any case): "node-id connection-id" of its holder; expires with the node.</summary>
    public static RedisKey Nick(string nick) => "{catchat}:nick:" + nick.ToLowerInvariant();

    /// <summary>
    /// The channel every node publishes to and subscribes to: presence, nicknames, private messages, topics, room
    /// membership, heartbeats, and the default room's lines. One channel keeps each node's messages in order.
    /// </summary>
    public static RedisChannel Control(bool sharded) => Channel("catchat:chat", sharded);

    /// <summary>A room's lines (not the default room's): only nodes with a member in the room subscribe.</summary>
    public static RedisChannel Room(string room, bool sharded) => Channel("catchat:room:" + room.ToLowerInvariant(), sharded);

    // Sharded (SPUBLISH/SSUBSCRIBE, Redis 7) puts each channel on the master that owns its hash slot, so on a Redis
    // Cluster the rooms spread over the masters; classic pub/sub is relayed to every master.
    private static RedisChannel Channel(string name, bool sharded) => sharded ? RedisChannel.Sharded(name) : RedisChannel.Literal(name);
}
