using CatChat.Chat;
using CatChat.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.IntegrationTests;

/// <summary>A room's modes, invitations and operators on every node of a real cluster (Redis and in-process nodes, IRC on each).</summary>
public sealed class ClusterRoomModesTests
{
    [Fact]
    public async Task AKeyABanAndModerationSetOnOneNodeHoldOnTheOthersAndANodeThatStartsLaterLearnsThem()
    {
        await using var cluster = await ChatCluster.StartWithIrcAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var alice = await a.ConnectIrcAsync("alice");
        await alice.JoinAsync("#cats");
        await using var bob = await b.ConnectIrcAsync("bob");
        await bob.JoinAsync("#cats");
        await alice.WaitForLineAsync(":bob!~bob@irc JOIN #cats");

        await alice.SendAsync("MODE #cats +kb sesame mallory!*@*");

        // Bob, on the other node, sees who changed what; the room there takes the modes.
        await bob.WaitForLineAsync(":alice!~alice@irc MODE #cats +kb sesame mallory!*@*");
        await using var carol = await b.ConnectIrcAsync("carol");
        await carol.SendAsync("JOIN #cats");
        await carol.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "475" && line.Contains("#cats", StringComparison.Ordinal), "475: a key is needed");
        await carol.SendAsync("JOIN #cats sesame");
        await carol.WaitForLineAsync(":carol!~carol@irc JOIN #cats");
        await using var mallory = await b.ConnectIrcAsync("mallory");
        await mallory.SendAsync("JOIN #cats sesame");
        await mallory.WaitForNumericAsync("474");

        // A node that starts after the change asks for the modes as it joins, before anyone of its own joins the room.
        await using var c = await ChatCluster.StartIrcNodeAsync(cluster.Redis, "c");
        await Eventually.TrueAsync(() => ChatCluster.BackplaneOf(c).Cluster.Nodes.Count == 2, "c hearing a and b");
        await Eventually.TrueAsync(() => ChatOf(c).SharedModesOf("#cats")?.Key == "sesame", "c knowing #cats's key");
        await using var dave = await c.ConnectIrcAsync("dave");
        await dave.SendAsync("JOIN #cats");
        await dave.WaitForNumericAsync("475");

        // Lifted on the node that did not set it, lifted everywhere.
        await carol.SendAsync("MODE #cats -k *");
        await carol.WaitForNumericAsync("482"); // Carol is no operator: she joined a room that had members.
        await alice.SendAsync("MODE #cats -k *");
        await Eventually.TrueAsync(() => ChatOf(c).SharedModesOf("#cats")?.Key is null, "the key lifted on c");
        await dave.SendAsync("JOIN #cats");
        await dave.WaitForLineAsync(":dave!~dave@irc JOIN #cats");
        await dave.SendAsync("MODE #cats");
        await dave.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "324" && line.EndsWith(" #cats +n", StringComparison.Ordinal), "324 #cats +n");
    }

    [Fact]
    public async Task AnInvitationToAUserOfAnotherNodeLetsThemIntoAnInviteOnlyRoom()
    {
        await using var cluster = await ChatCluster.StartWithIrcAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var alice = await a.ConnectIrcAsync("alice");
        await alice.JoinAsync("#cats");
        await alice.SendAsync("MODE #cats +i");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #cats +i");
        await using var bob = await b.ConnectIrcAsync("bob");
        await Eventually.TrueAsync(() => ChatOf(b).SharedModesOf("#cats")?.Flags.Contains('i', StringComparison.Ordinal) == true, "b knowing #cats is +i");
        await bob.SendAsync("JOIN #cats");
        await bob.WaitForNumericAsync("473");

        await alice.SendAsync("INVITE bob #cats");

        await alice.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "341", "341: inviting");
        await bob.WaitForLineAsync(":alice!~alice@irc INVITE bob #cats");
        await bob.SendAsync("INVITE");
        await bob.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "336" && line.EndsWith(" #cats", StringComparison.Ordinal), "336 #cats");
        await bob.SendAsync("JOIN #cats");
        await bob.WaitForLineAsync(":bob!~bob@irc JOIN #cats");
        await alice.WaitForLineAsync(":bob!~bob@irc JOIN #cats");
    }

    [Fact]
    public async Task OperatorsAndVoiceShowOnEveryNodeAndAnOperatorGivesThemToAMemberOfAnotherNode()
    {
        await using var cluster = await ChatCluster.StartWithIrcAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var alice = await a.ConnectIrcAsync("alice");
        await alice.JoinAsync("#cats");
        await using var bob = await b.ConnectIrcAsync("bob");

        // Once node b knows the room has a member (else bob, making it on b, would be an operator there too), and that
        // she is its operator (her status travels apart from her join, and may come later on a busy machine).
        await Eventually.TrueAsync(() => ChatCluster.BackplaneOf(b).Cluster.CountIn("#cats") == 1, "b knowing alice is in #cats");
        await Eventually.TrueAsync(() => ChatCluster.BackplaneOf(b).Cluster.Find("alice")?.IsOperatorIn("#cats") == true, "b knowing alice runs #cats");
        await bob.JoinAsync("#cats");

        // Bob, on the other node, sees alice as the room's operator.
        await bob.SendAsync("NAMES #cats");
        await bob.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "353" && line.Contains("@alice", StringComparison.Ordinal), "NAMES with @alice");
        await alice.WaitForLineAsync(":bob!~bob@irc JOIN #cats");

        await alice.SendAsync("MODE #cats +v bob");

        await bob.WaitForLineAsync(":alice!~alice@irc MODE #cats +v bob");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #cats +v bob");
        await alice.SendAsync("NAMES #cats");
        await alice.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "353" && line.Contains("+bob", StringComparison.Ordinal), "NAMES with +bob");

        // Made an operator from node a, bob runs the room from node b.
        await alice.SendAsync("MODE #cats +o bob");
        await bob.WaitForLineAsync(":alice!~alice@irc MODE #cats +o bob");
        await bob.SendAsync("MODE #cats +m");
        await alice.WaitForLineAsync(":bob!~bob@irc MODE #cats +m");
        await alice.SendAsync("WHO #cats");
        await alice.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "352" && line.Contains(" bob H@", StringComparison.Ordinal), "WHO with bob as H@");
    }

    private static ChatRoom ChatOf(ChatServer node) => node.Services.GetRequiredService<ChatRoom>();
}
