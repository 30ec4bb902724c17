using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>IRC's mute extban (<c>+b m:mask</c>): its matches join but may not speak, whichever door, on every node.</summary>
public sealed class IrcMuteTests
{
    [Fact]
    public async Task AMutedUserJoinsButIsNotHeardUntilVoicedOrUnmuted()
    {
        await using var cluster = await ChatCluster.StartWithIrcAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var alice = await a.ConnectIrcAsync("alice");
        await alice.JoinAsync("#cats");
        Assert.Contains(alice.Seen, line => line.Contains(" EXTBAN=,m ", StringComparison.Ordinal));

        // A member on the other node sees the mutes arrive there: only then is mallory's line sure to meet them.
        await using var carol = await b.ConnectIrcAsync("carol");
        await carol.JoinAsync("#cats");
        await alice.WaitForLineAsync(":carol!~carol@irc JOIN #cats");
        await alice.SendAsync("MODE #cats +bb m:mallory m:*!nc@netcat");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #cats +bb m:mallory!*@* m:*!nc@netcat");
        await carol.WaitForLineAsync(":alice!~alice@irc MODE #cats +bb m:mallory!*@* m:*!nc@netcat");
        await using var mallory = await b.ConnectIrcAsync("mallory");
        await mallory.JoinAsync("#cats"); // A mute is no ban: she gets in.
        await alice.WaitForLineAsync(":mallory!~mallory@irc JOIN #cats");

        await mallory.SendAsync("PRIVMSG #cats :can you hear me");
        await mallory.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "404" && line.Contains(" #cats ", StringComparison.Ordinal), "404 on #cats");
        await using var bob = await a.ConnectAsync("bob");
        await bob.SendAsync("/join #cats");
        await alice.WaitForLineAsync(":bob!nc@netcat JOIN #cats");
        await bob.SendAsync("and me?");
        await bob.WaitForLineAsync("! You cannot speak in #cats now: it is moderated, or you are banned or muted there. Your line was not sent.");

        // Voice lets a muted member speak; taking the mute off lets everyone it held.
        await alice.SendAsync("MODE #cats +v mallory");
        await mallory.WaitForLineAsync(":alice!~alice@irc MODE #cats +v mallory");
        await mallory.SendAsync("PRIVMSG #cats :voiced now");
        await alice.WaitForLineAsync(":mallory!~mallory@irc PRIVMSG #cats :voiced now");
        await alice.SendAsync("MODE #cats -b m:*!nc@netcat");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #cats -b m:*!nc@netcat");
        await bob.SendAsync("heard at last");
        await alice.WaitForLineAsync(":bob!nc@netcat PRIVMSG #cats :heard at last");
        Assert.DoesNotContain(alice.Seen, line => line.Contains("can you hear me", StringComparison.Ordinal) || line.Contains("and me?", StringComparison.Ordinal));
    }
}
