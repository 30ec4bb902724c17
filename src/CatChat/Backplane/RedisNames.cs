using StackExchange.Redis;

namespace CatChat.Backplane;

/// <summary>Every Redis channel and key CatChat uses, in one place. All start with <c>catchat:</c>.</summary>
internal static class RedisNames
{
    /// <summary>The one channel every node publishes to and subscribes to; one channel keeps each node's messages in order.</summary>
    public static readonly RedisChannel Chat = RedisChannel.Literal("catchat:chat");

    /// <summary>A set of the ids of nodes that have joined; a node's entry outlives it until someone finds its <see cref="Node"/> key gone.</summary>
    public static readonly RedisKey Nodes = "catchat:nodes";

    /// <summary>A node's name, while the node lives: refreshed by its heartbeat, gone after the presence timeout.</summary>
    public static RedisKey Node(string nodeId) => "catchat:node:" + nodeId;

    /// <summary>A hash of a node's users: connection id to <see cref="MemberRecord"/> JSON; expires with the node.</summary>
    public static RedisKey Members(string nodeId) => "catchat:members:" + nodeId;

    /// <summary>The claim on a nickname (any case): "node-id connection-id" of its holder; expires with the node.</summary>
    public static RedisKey Nick(string nick) => "catchat:nick:" + nick.ToLowerInvariant();
}
