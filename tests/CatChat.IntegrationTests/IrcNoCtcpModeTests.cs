using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>Channel mode +C: no CTCP requests but ACTION to the room, on this node and on the others.</summary>
public sealed class IrcNoCtcpModeTests
{
    [Fact]
    public async Task WithPlusCOnlyActionsPassAndTheSenderIsTold404()
    {
        await using var cluster = await ChatCluster.StartWithIrcAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var alice = await a.ConnectIrcAsync("alice");
        await alice.JoinAsync("#cats");
        await using var carol = await a.ConnectIrcAsync("carol");
        await carol.JoinAsync("#cats");
        await using var bob = await b.ConnectIrcAsync("bob");
        await bob.JoinAsync("#cats");
        await alice.WaitForLineAsync(":bob!~bob@irc JOIN #cats");

        await carol.SendAsync("PRIVMSG #cats :\u0001VERSION\u0001");
        await alice.WaitForLineAsync(":carol!~carol@irc PRIVMSG #cats :\u0001VERSION\u0001");
        await alice.SendAsync("MODE #cats +C");
        await bob.WaitForLineAsync(":alice!~alice@irc MODE #cats +C");
        await carol.WaitForLineAsync(":alice!~alice@irc MODE #cats +C");

        await carol.SendAsync("PRIVMSG #cats :\u0001PING 12345\u0001");
        await carol.WaitForLineAsync(":catchat 404 carol #cats :Cannot send to channel (+C: no CTCP but ACTION)");
        await carol.SendAsync("NOTICE #cats :\u0001VERSION no thanks\u0001");
        await carol.SendAsync("PRIVMSG #cats :\u0001ACTION purrs\u0001");
        await alice.WaitForLineAsync(":carol!~carol@irc PRIVMSG #cats :\u0001ACTION purrs\u0001");
        Assert.DoesNotContain(alice.Seen, line => line.Contains("PING 12345", StringComparison.Ordinal) || line.Contains("no thanks", StringComparison.Ordinal));

        // The mode is the room's on every node: bob's request on b is refused there too.
        await bob.SendAsync("MODE #cats");
        await bob.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "324" && line.EndsWith(" #cats +nC", StringComparison.Ordinal), "324 #cats +nC");
        await bob.SendAsync("PRIVMSG #cats :\u0001TIME\u0001");
        await bob.WaitForNumericAsync("404");
        await alice.SendAsync("MODE #cats -C");
        await bob.WaitForLineAsync(":alice!~alice@irc MODE #cats -C");
        await carol.WaitForLineAsync(":alice!~alice@irc MODE #cats -C");

        // A CTCP request to a room reaches its IRC clients on the sender's node only, as before +C.
        await carol.SendAsync("PRIVMSG #cats :\u0001TIME\u0001");
        await alice.WaitForLineAsync(":carol!~carol@irc PRIVMSG #cats :\u0001TIME\u0001");
    }
}
