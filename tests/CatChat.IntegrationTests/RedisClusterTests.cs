using CatChat.Chat;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>Two CatChat nodes joined through a real Redis Cluster of three masters: the rooms' channels spread over them.</summary>
public class RedisClusterTests
{
    private static readonly string[] RoomNames = [.. Enumerable.Range(1, 12).Select(i => "#room-" + i)];

    [Fact]
    public async Task RoomsSpreadOverTheMastersAndTheirLinesCrossNodesOnce()
    {
        await using var redis = await RedisCluster.StartAsync();
        await using var a = await ChatServer.StartAsync(["--redis", redis.Address, "--node-name", "a", .. ChatCluster.FastHeartbeat]);
        await using var b = await ChatServer.StartAsync(["--redis", redis.Address, "--node-name", "b", .. ChatCluster.FastHeartbeat]);
        await Eventually.TrueAsync(
            () => new[] { a, b }.All(node => ChatCluster.BackplaneOf(node) is { State: BackplaneState.Whole, Cluster.Nodes.Count: 1 }),
            "both nodes whole and hearing each other through the Redis Cluster");
        await using var alice = await a.ConnectAsync("alice");
        await using var bob = await b.ConnectAsync("bob");
        await alice.WaitForLineAsync(line => line.EndsWith(" is now known as bob", StringComparison.Ordinal), "bob's rename, across the cluster");
        foreach (var room in RoomNames)
        {
            await alice.SendAsync("/join " + room);
            await bob.SendAsync("/join " + room);
        }

        await bob.WaitForLineAsync(line => line.StartsWith($"*** You joined {RoomNames[^1]}", StringComparison.Ordinal), "bob's last join");
        var channels = RoomNames.Select(room => "catchat:room:" + room).ToHashSet();
        IReadOnlyList<IReadOnlyList<string>> byMaster = [];
        await Eventually.TrueAsync(
            async () => channels.IsSubsetOf((byMaster = await redis.ShardChannelsAsync()).SelectMany(held => held)),
            "every room's channel subscribed on its master");
        // Both nodes must hear every room before alice speaks: a join is answered at once, its subscription follows.
        await Eventually.TrueAsync(
            async () => (await redis.ShardSubscribersAsync(channels)).Values.All(subscribers => subscribers == 2),
            "both nodes subscribed to every room's channel");

        foreach (var room in RoomNames)
        {
            await alice.SendAsync($"/join {room}");
            await alice.SendAsync("hello " + room);
        }

        // Bob looks at the last room he joined: its line comes plain, the others' with the room's name. Rooms on
        // different masters keep no order between them (each room keeps its own), so any order will do.
        foreach (var room in RoomNames[..^1])
        {
            await bob.WaitForSeenAsync($"{room} <alice> hello {room}");
        }

        await bob.WaitForSeenAsync($"<alice> hello {RoomNames[^1]}");
        Assert.Equal(RoomNames.Length, bob.Seen.Count(line => line.Contains("<alice> hello #room-", StringComparison.Ordinal)));
        var mastersWithRooms = byMaster.Count(held => held.Any(channels.Contains));
        Assert.True(mastersWithRooms >= 2, $"the rooms' channels sit on {mastersWithRooms} of 3 masters: {string.Join(" | ", byMaster.Select(held => string.Join(",", held)))}");
    }
}
