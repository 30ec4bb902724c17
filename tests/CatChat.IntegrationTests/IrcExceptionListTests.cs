using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>A room's ban exceptions (+e) and invite exceptions (+I), set on the IRC port, hold for netcat users too.</summary>
public sealed class IrcExceptionListTests
{
    [Fact]
    public async Task ABanExceptionLetsItsMaskJoinAndSpeakWhereTheBanKeepsOthersOut()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        Assert.Contains(alice.Seen, line => line.Contains(" CHANMODES=beI,k,l,Cimnst ", StringComparison.Ordinal));
        await alice.JoinAsync("#cats");
        await alice.SendAsync("MODE #cats +be *!*@netcat bob");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #cats +be *!*@netcat bob!*@*");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");

        await carol.SendAsync("/join #cats");
        await carol.WaitForLineAsync("! Cannot join #cats: you are banned from it.");
        await bob.SendAsync("/join #cats");
        await alice.WaitForLineAsync(":bob!nc@netcat JOIN #cats");
        await bob.SendAsync("meow");
        await alice.WaitForLineAsync(":bob!nc@netcat PRIVMSG #cats :meow");

        await alice.SendAsync("MODE #cats e");
        await alice.WaitForLineAsync(line => line.StartsWith(":catchat 348 alice #cats bob!*@* alice ", StringComparison.Ordinal), "348: bob!*@*, set by alice, with when");
        await alice.WaitForLineAsync(":catchat 349 alice #cats :End of channel exception list");

        // Without the exception the ban holds for him again: his next line is refused.
        await alice.SendAsync("MODE #cats -e bob!*@*");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #cats -e bob!*@*");
        await bob.SendAsync("meow?");
        await bob.WaitForLineAsync("! You cannot speak in #cats now: it is moderated, or you are banned or muted there. Your line was not sent.");
    }

    [Fact]
    public async Task AnInviteExceptionLetsItsMaskIntoAnInviteOnlyRoomUninvited()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#cats");
        await alice.SendAsync("MODE #cats +iI dave!*@*");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #cats +iI dave!*@*");
        await using var dave = await server.ConnectAsync("dave");
        await using var erin = await server.ConnectAsync("erin");

        await erin.SendAsync("/join #cats");
        await erin.WaitForLineAsync("! Cannot join #cats: it is invite-only; ask one of its members to /invite you.");
        await dave.SendAsync("/join #cats");
        await alice.WaitForLineAsync(":dave!nc@netcat JOIN #cats");

        await alice.SendAsync("MODE #cats I");
        await alice.WaitForLineAsync(line => line.StartsWith(":catchat 346 alice #cats dave!*@* alice ", StringComparison.Ordinal), "346: dave!*@*, set by alice, with when");
        await alice.WaitForLineAsync(":catchat 347 alice #cats :End of channel invite list");
    }
}
