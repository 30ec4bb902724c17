using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>Rooms across two nodes joined through a real redis-server.</summary>
public class RoomClusterTests
{
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
}
