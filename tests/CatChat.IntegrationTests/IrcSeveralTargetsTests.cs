using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>NAMES and KICK with several targets, INVITE's list, and an invitation past a room's +l.</summary>
public sealed class IrcSeveralTargetsTests
{
    [Fact]
    public async Task NamesOfTwoRoomsAnswersBothAndEndsOnceWithTheListAsGiven()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        Assert.Contains(alice.Seen, line => line.Contains("NAMES:4,KICK:4", StringComparison.Ordinal));
        await alice.JoinAsync("#cats");
        await alice.JoinAsync("#dogs");

        await alice.SendAsync("NAMES #cats,#dogs");

        await alice.WaitForLineAsync(":catchat 353 alice = #cats :@alice");
        await alice.WaitForLineAsync(":catchat 353 alice = #dogs :@alice");
        await alice.WaitForLineAsync(":catchat 366 alice #cats,#dogs :End of /NAMES list");
        Assert.Single(alice.Seen, line => IrcTestClient.Numeric(line) == "366" && !line.Contains(" #cats :", StringComparison.Ordinal) && !line.Contains(" #dogs :", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KickPairsRoomsWithNicksOrTakesEveryNickFromOneRoom()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#cats");
        await alice.JoinAsync("#dogs");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectIrcAsync("carol");
        await bob.SendAsync("/join #cats");
        await alice.WaitForLineAsync(":bob!nc@netcat JOIN #cats");
        await carol.JoinAsync("#dogs");
        await alice.WaitForLineAsync(":carol!~carol@irc JOIN #dogs");

        await alice.SendAsync("KICK #cats,#dogs bob,carol :out");

        await alice.WaitForLineAsync(":alice!~alice@irc KICK #cats bob :out");
        await alice.WaitForLineAsync(":alice!~alice@irc KICK #dogs carol :out");
        await bob.WaitForLineAsync("*** You were removed from #cats: out");

        // Two rooms and one nick do not pair up.
        await alice.SendAsync("KICK #cats,#dogs bob");
        await alice.WaitForLineAsync(":catchat 461 alice KICK :Not enough parameters");
    }

    [Fact]
    public async Task InviteWithoutArgumentsListsTheRoomsOneIsInvitedToUntilJoined()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var carol = await server.ConnectIrcAsync("carol");
        await alice.JoinAsync("#cats");
        await alice.SendAsync("INVITE carol #cats");
        await carol.WaitForLineAsync(":alice!~alice@irc INVITE carol #cats");

        await carol.SendAsync("INVITE");
        await carol.WaitForLineAsync(":catchat 336 carol #cats");
        await carol.WaitForLineAsync(":catchat 337 carol :End of /INVITE list");

        await carol.JoinAsync("#cats");
        await carol.SendAsync("INVITE");
        await Eventually.TrueAsync(() => carol.Seen.Count(line => IrcTestClient.Numeric(line) == "337") == 2, "the second end of the list");
        Assert.Single(carol.Seen, line => IrcTestClient.Numeric(line) == "336");
    }

    [Fact]
    public async Task AnInvitationLetsANetcatUserPastARoomsLimit()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#cats");
        await alice.SendAsync("MODE #cats +l 1");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #cats +l 1");
        await using var bob = await server.ConnectAsync("bob");

        await bob.SendAsync("/join #cats");
        await bob.WaitForLineAsync("! Cannot join #cats: it is full (1 members).");
        await alice.SendAsync("INVITE bob #cats");
        await bob.WaitForLineAsync(line => line.Contains("alice invites you to #cats", StringComparison.Ordinal), "the invitation");
        await bob.SendAsync("/join #cats");

        await alice.WaitForLineAsync(":bob!nc@netcat JOIN #cats");
    }
}
