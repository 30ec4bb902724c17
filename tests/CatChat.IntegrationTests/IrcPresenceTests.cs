using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>away-notify, SETNAME and extended-monitor on the IRC port: pushed only to the clients that asked.</summary>
public sealed class IrcPresenceTests
{
    [Fact]
    public async Task AwayAndRealNameChangesReachRoomMatesAndWatchersThatAskedAndNobodyElse()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice", "away-notify", "setname");
        await using var carol = await server.ConnectIrcAsync("carol");
        await using var dave = await server.ConnectIrcAsync("dave", "extended-monitor", "away-notify");
        await using var bob = await server.ConnectIrcAsync("bob", "setname");
        await alice.JoinAsync("#den");
        await carol.JoinAsync("#den");
        await bob.JoinAsync("#den");
        await dave.SendAsync("MONITOR + bob");
        await dave.WaitForLineAsync(":catchat 730 dave :bob!~bob@irc");

        await bob.SendAsync("AWAY :lunch");
        await bob.WaitForNumericAsync("306");
        await alice.WaitForLineAsync(":bob!~bob@irc AWAY :lunch");
        await dave.WaitForLineAsync(":bob!~bob@irc AWAY :lunch"); // No room shared: told because he watches bob.
        await bob.SendAsync("AWAY");
        await alice.WaitForLineAsync(":bob!~bob@irc AWAY");
        await dave.WaitForLineAsync(":bob!~bob@irc AWAY");

        await bob.SendAsync("SETNAME :Robert Tables");
        await bob.WaitForLineAsync(":bob!~bob@irc SETNAME :Robert Tables");
        await alice.WaitForLineAsync(":bob!~bob@irc SETNAME :Robert Tables");
        await alice.SendAsync("WHOIS bob");
        await alice.WaitForLineAsync(":catchat 311 alice bob ~bob irc * :Robert Tables");

        // Someone already away who joins is announced as away after the JOIN.
        await bob.SendAsync("AWAY :still lunch");
        await bob.SendAsync("JOIN #den2");
        await bob.WaitForLineAsync(":bob!~bob@irc JOIN #den2");
        await alice.JoinAsync("#den2");
        await bob.WaitForLineAsync(":alice!~alice@irc JOIN #den2");
        await bob.SendAsync("PART #den2");
        await bob.SendAsync("JOIN #den2");
        await alice.WaitForLineAsync(line => line == ":bob!~bob@irc AWAY :still lunch"
            && alice.Seen.Count(seen => seen == ":bob!~bob@irc AWAY :still lunch") >= 2, "the away notice after bob's second join");

        // carol took none of the capabilities and dave no setname: a PING each marks the end of what they were sent.
        await carol.SendAsync("PING :end");
        await carol.WaitForLineAsync(line => line.EndsWith(":end", StringComparison.Ordinal), "carol's PONG");
        Assert.DoesNotContain(carol.Seen, line => IrcTestClient.Numeric(line) is "AWAY" or "SETNAME");
        await dave.SendAsync("PING :end");
        await dave.WaitForLineAsync(line => line.EndsWith(":end", StringComparison.Ordinal), "dave's PONG");
        Assert.DoesNotContain(dave.Seen, line => IrcTestClient.Numeric(line) == "SETNAME");
    }
}
