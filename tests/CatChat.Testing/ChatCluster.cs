using CatChat.Chat;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.Testing;

/// <summary>
/// A throwaway Redis and in-process CatChat nodes joined through it, named a, b, c... Heartbeats are
/// quicker than the defaults so that a lost node is noticed within a test's patience.
/// </summary>
public sealed class ChatCluster : IAsyncDisposable
{
    public static readonly string[] FastHeartbeat = ["--redis-heartbeat", "0.25", "--redis-presence-timeout", "3"];

    private ChatCluster(RedisServer redis, IReadOnlyList<ChatServer> nodes)
    {
        Redis = redis;
        Nodes = nodes;
    }

    public RedisServer Redis { get; }

    public IReadOnlyList<ChatServer> Nodes { get; }

    public static Task<ChatCluster> StartAsync(int nodes = 2, params string[] settings) => StartAsync(nodes, irc: false, settings);

    /// <summary>As <see cref="StartAsync(int, string[])"/>, with each node's IRC port on (a free one).</summary>
    public static Task<ChatCluster> StartWithIrcAsync(int nodes = 2, params string[] settings) => StartAsync(nodes, irc: true, settings);

    /// <summary>A node named <paramref name="name"/> joined to a cluster's Redis, as the cluster's own are, its IRC port on.</summary>
    public static Task<ChatServer> StartIrcNodeAsync(RedisServer redis, string name) =>
        ChatServer.StartWithIrcAsync(["--redis", redis.Address, "--node-name", name, .. FastHeartbeat]);

    private static async Task<ChatCluster> StartAsync(int nodes, bool irc, string[] settings)
    {
        var redis = await RedisServer.StartAsync();
        var servers = new List<ChatServer>();
        for (var i = 0; i < nodes; i++)
        {
            string[] arguments = ["--redis", redis.Address, "--node-name", ((char)('a' + i)).ToString(), .. FastHeartbeat, .. settings];
            servers.Add(await (irc ? ChatServer.StartWithIrcAsync(arguments) : ChatServer.StartAsync(arguments)));
        }

        var cluster = new ChatCluster(redis, servers);
        await cluster.WaitUntilWholeAsync();
        return cluster;
    }

    public static IBackplane BackplaneOf(ChatServer node) => node.Services.GetRequiredService<IBackplane>();

    /// <summary>
    /// Waits until every node is whole and has heard from every other. A node logs when it joins, but which nodes it has
    /// heard from only at Debug, so this looks at each node's view.
    /// </summary>
    public Task WaitUntilWholeAsync() => Eventually.TrueAsync(
        () => Nodes.All(node =>
        {
            var backplane = BackplaneOf(node);
            return backplane.State == BackplaneState.Whole && backplane.Cluster.Nodes.Count == Nodes.Count - 1;
        }),
        $"each of the {Nodes.Count} nodes whole and hearing from the others");

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }
}
