using System.Net.Http.Json;
using System.Text.Json;
using CatChat.Testing;
using StackExchange.Redis;

namespace CatChat.IntegrationTests;

/// <summary>Rooms across two nodes joined through a real redis-server.</summary>
public class RoomClusterTests
{
    [Fact]
    public async Task ANodeHearsARoomsChannelOnlyWhileTheRoomHasAMemberThere()
    {
        await using var cluster = await ChatCluster.StartAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.Address);
        var server = redis.GetServer(cluster.Redis.Address);
        await using var alice = await a.ConnectAsync("alice");
        await using var bob = await b.ConnectAsync("bob");

        await alice.SendAsync("/join #cats");
        await alice.WaitForLineAsync(line => line.StartsWith("*** You joined #cats", StringComparison.Ordinal), "alice's join");
        await Eventually.TrueAsync(async () => await SubscribersAsync(server, "#cats") == 1, "node a alone hears #cats");
        await alice.SendAsync("nobody on b hears this");

        // Her next command's answer comes after her line has gone out: only then may b start hearing #cats.
        await alice.SendAsync("/who #cats");
        await alice.WaitForLineAsync("*** 1 in #cats: alice");

        // Node b learns of alice's join through the backplane's member records, apart from the room's channel: bob's
        // join counts her and takes her spelling only once it has.
        using var httpB = b.CreateHttpClient(admin: true);
        await Eventually.TrueAsync(async () => (await RoomsAsync(httpB)).Contains("#cats 1 ", StringComparison.Ordinal), "node b knowing alice is in #cats");
        await bob.SendAsync("/join #Cats");
        await bob.WaitForLineAsync(line => line.StartsWith("*** You joined #cats (2 members)", StringComparison.Ordinal), "bob's join, counted across nodes");
        await Eventually.TrueAsync(async () => await SubscribersAsync(server, "#cats") == 2, "both nodes hear #cats");
        await alice.SendAsync("now b hears");
        await bob.WaitForLineAsync("<alice> now b hears");
        Assert.DoesNotContain("<alice> nobody on b hears this", bob.Seen);

        await bob.SendAsync("/part");
        await bob.WaitForLineAsync(line => line.StartsWith("*** You left #cats", StringComparison.Ordinal), "bob's part");
        await Eventually.TrueAsync(async () => await SubscribersAsync(server, "#cats") == 1, "node b no longer hears #cats");
    }

    [Fact]
    public async Task RoomsAndTheirMembersAreCountedAcrossNodesAndStayRightThroughARedisOutage()
    {
        await using var cluster = await ChatCluster.StartAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var alice = await a.ConnectAsync("alice");
        await using var bob = await b.ConnectAsync("bob");
        await alice.WaitForLineAsync(line => line.EndsWith(" is now known as bob", StringComparison.Ordinal), "bob's rename");
        await alice.SendAsync("/join #cats");
        await bob.SendAsync("/join #cats");
        await bob.SendAsync("/join #dogs");
        await bob.SendAsync("/topic woof");
        await bob.WaitForLineAsync("*** bob set the topic of #dogs: woof");
        using var http = a.CreateHttpClient(admin: true);
        await Eventually.TrueAsync(async () => await RoomsAsync(http) == "#lobby 2 ,#cats 2 ,#dogs 1 woof", "node a counting b's rooms");

        await alice.SendAsync("/rooms");
        await alice.WaitForLineAsync("*** 3 rooms:");
        Assert.Equal(["***   #lobby (2)", "***   #cats (2)", "***   #dogs (1) woof"], [await alice.WaitForLineAsync(_ => true), await alice.WaitForLineAsync(_ => true), await alice.WaitForLineAsync(_ => true)]);
        await alice.SendAsync("/who #dogs");
        await alice.WaitForLineAsync("*** 1 in #dogs: bob");
        var dogs = await http.GetFromJsonAsync<JsonElement>("api/rooms/%23dogs");
        Assert.Equal(("woof", "bob"), (dogs.GetProperty("topic").GetString(), dogs.GetProperty("members")[0].GetString()));

        // While Redis is away bob leaves #cats: node a cannot hear it then, and must know it once the chat is whole.
        await cluster.Redis.StopAsync();
        const string split = "*** The chat is split: your lines now reach only the users on this server";
        await bob.WaitForLineAsync(line => line.StartsWith(split, StringComparison.Ordinal), "the split notice");
        await alice.WaitForLineAsync(line => line.StartsWith(split, StringComparison.Ordinal), "the split notice");
        Assert.Equal("#lobby 1 ,#cats 1 ", await RoomsAsync(http)); // Split: this node's own only.
        await bob.SendAsync("/part #cats");
        await bob.WaitForLineAsync(line => line.StartsWith("*** You left #cats", StringComparison.Ordinal), "bob's part");

        await cluster.Redis.StartAgainAsync();
        await alice.WaitForLineAsync("*** The chat is whole again: your lines reach every server.");
        await cluster.WaitUntilWholeAsync();
        await Eventually.TrueAsync(async () => await RoomsAsync(http) == "#lobby 2 ,#cats 1 ,#dogs 1 woof", "node a's counts after the outage");

        // A node that shuts down takes its users out of every room.
        await b.DisposeAsync();
        await Eventually.TrueAsync(async () => await RoomsAsync(http) == "#lobby 1 ,#cats 1 ", "node a's counts after b has gone");
    }

    [Fact]
    public async Task ALineAndAJoinInARoomReachItsMembersOnTheOtherNodeAndNobodyElseThere()
    {
        await using var cluster = await ChatCluster.StartAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var bob = await b.ConnectAsync("bob");
        await using var carol = await b.ConnectAsync("carol");
        await using var alice = await a.ConnectAsync("alice");
        await carol.WaitForLineAsync(line => line.EndsWith(" is now known as alice", StringComparison.Ordinal), "alice's rename");
        await bob.SendAsync("/join #cats");
        await bob.WaitForLineAsync(line => line.StartsWith("*** You joined #cats", StringComparison.Ordinal), "bob's join");
        await alice.SendAsync("/join #cats");
        await alice.WaitForLineAsync(line => line.StartsWith("*** You joined #cats", StringComparison.Ordinal), "alice's join");
        await bob.WaitForLineAsync("*** alice has joined #cats"); // Told across the nodes.

        await alice.SendAsync("meow");
        await alice.SendAsync("/me purrs");
        await bob.WaitForLineAsync("<alice> meow");
        await bob.WaitForLineAsync("* alice purrs");
        await alice.SendAsync("/join #lobby");
        await alice.WaitForLineAsync("*** #lobby is now your current room: your lines go there.");
        await alice.SendAsync("marker");

        var carolSaw = await carol.LinesBeforeAsync("<alice> marker");
        Assert.DoesNotContain(carolSaw, line => line.Contains("meow", StringComparison.Ordinal) || line.Contains("purrs", StringComparison.Ordinal));
        await bob.WaitForLineAsync("#lobby <alice> marker"); // Bob looks at #cats: the lobby's line comes with its name.
        Assert.Equal(1, bob.Seen.Count(line => line == "<alice> meow"));
    }

    // How many clients (one per node) are subscribed to a room's sharded channel.
    private static async Task<long> SubscribersAsync(IServer server, string room)
    {
        var reply = (RedisResult[])(await server.ExecuteAsync("PUBSUB", "SHARDNUMSUB", "catchat:room:" + room))!;
        return (long)reply[1];
    }

    // "name count topic" of each room, as GET /api/rooms lists them.
    private static async Task<string> RoomsAsync(HttpClient http)
    {
        var rooms = (await http.GetFromJsonAsync<JsonElement>("api/rooms")).GetProperty("rooms").EnumerateArray();
        return string.Join(",", rooms.Select(room => $"{room.GetProperty("name").GetString()} {room.GetProperty("members").GetInt32()} {room.GetProperty("topic").GetString()}"));
    }
}
