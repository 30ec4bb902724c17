using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>IRC operators over real sockets: OPER, the +o and +w user modes, KILL and WALLOPS; and WHOWAS and LUSERS.</summary>
public sealed class IrcOperatorTests
{
    private static readonly string[] Operators = ["--irc-operators", "root:hunter2, night:watch:man"];

    [Fact]
    public async Task OperWithTheRightPasswordGivesModePlusOThatOthersSeeAndMinusOGivesUp()
    {
        await using var server = await ChatServer.StartWithIrcAsync(Operators);
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");

        await alice.SendAsync("OPER root hunter2");
        await alice.WaitForLineAsync(":catchat 381 alice :You are now an IRC operator");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE alice :+o");
        await alice.SendAsync("MODE alice");
        await alice.WaitForLineAsync(":catchat 221 alice +o");

        await bob.SendAsync("WHO alice");
        await bob.WaitForLineAsync(":catchat 352 bob * ~alice irc catchat alice H* :0 alice the tester");
        await bob.SendAsync("WHOIS alice");
        await bob.WaitForLineAsync(":catchat 313 bob alice :is an IRC operator");
        await bob.SendAsync("LUSERS");
        await bob.WaitForLineAsync(":catchat 252 bob 1 :operator(s) online");

        await alice.SendAsync("MODE alice -o");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE alice :-o");
        await alice.SendAsync("MODE alice +o");
        await alice.SendAsync("MODE alice");
        await alice.WaitForLineAsync(":catchat 221 alice +");
        await bob.SendAsync("WHO alice");
        await bob.WaitForLineAsync(":catchat 352 bob * ~alice irc catchat alice H :0 alice the tester");

        // A password may hold a colon: only the first one ends the name.
        await bob.SendAsync("OPER night watch:man");
        await bob.WaitForNumericAsync("381");
    }

    [Fact]
    public async Task OperIsRefusedForAWrongPasswordAnUnknownNameOrMissingParameters()
    {
        await using var server = await ChatServer.StartWithIrcAsync(Operators);
        await using var alice = await server.ConnectIrcAsync("alice");

        await alice.SendAsync("OPER root hunter3");
        await alice.WaitForLineAsync(":catchat 464 alice :Password incorrect");
        await alice.SendAsync("OPER Root hunter2");
        await alice.WaitForLineAsync(":catchat 464 alice :Password incorrect");
        await alice.SendAsync("OPER root");
        await alice.WaitForLineAsync(":catchat 461 alice OPER :Not enough parameters");
        await alice.SendAsync("MODE alice");
        await alice.WaitForLineAsync(":catchat 221 alice +");
        Assert.DoesNotContain(alice.Seen, line => IrcTestClient.Numeric(line) == "381");
    }

    [Fact]
    public async Task WithoutConfiguredOperatorsOperSaysThereAreNoOLines()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");

        await alice.SendAsync("OPER root hunter2");
        await alice.WaitForLineAsync(":catchat 491 alice :No O-lines for your host");
    }

    [Fact]
    public async Task KillDisconnectsIrcAndNetcatUsersWithTheReasonAndOnlyAnOperatorMayKill()
    {
        await using var server = await ChatServer.StartWithIrcAsync(Operators);
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await using var carol = await server.ConnectAsync("carol");

        await bob.SendAsync("KILL carol :no reason");
        await bob.WaitForLineAsync(":catchat 481 bob :Permission Denied- You're not an IRC operator");

        await alice.SendAsync("OPER root hunter2");
        await alice.WaitForNumericAsync("381");
        await alice.SendAsync("KILL nobody :typo");
        await alice.WaitForLineAsync(":catchat 401 alice nobody :No such nick/channel");

        await alice.SendAsync("KILL bob :spamming");
        await bob.WaitForLineAsync(":catchat NOTICE bob :You have been kicked: spamming");
        await bob.WaitForLineAsync(line => line.StartsWith("ERROR :Closing Link: bob[irc] (kicked: spamming)", StringComparison.Ordinal), "the ERROR");
        await bob.WaitUntilClosedAsync();

        await alice.SendAsync("KILL carol :you too");
        await carol.WaitForLineAsync(line => line.EndsWith("You have been kicked: you too", StringComparison.Ordinal), "the kick");
        await carol.WaitUntilClosedAsync();
        await alice.SendAsync("ISON bob carol");
        await alice.WaitForLineAsync(":catchat 303 alice :");
    }

    [Fact]
    public async Task WallopsReachOperatorsAndPlusWReadersOnly()
    {
        await using var server = await ChatServer.StartWithIrcAsync(Operators);
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await using var carol = await server.ConnectIrcAsync("carol");

        await bob.SendAsync("WALLOPS :not yet");
        await bob.WaitForLineAsync(":catchat 481 bob :Permission Denied- You're not an IRC operator");
        await bob.SendAsync("MODE bob +w");
        await bob.WaitForLineAsync(":bob!~bob@irc MODE bob :+w");
        await bob.SendAsync("MODE bob");
        await bob.WaitForLineAsync(":catchat 221 bob +w");

        await alice.SendAsync("OPER root hunter2");
        await alice.WaitForNumericAsync("381");
        await alice.SendAsync("WALLOPS :the server restarts at noon");
        await alice.WaitForLineAsync(":alice!~alice@irc WALLOPS :the server restarts at noon");
        await bob.WaitForLineAsync(":alice!~alice@irc WALLOPS :the server restarts at noon");

        // Carol (no +w) hears nothing of it: a private line sent after it arrives with nothing before it.
        await alice.SendAsync("PRIVMSG carol :marker");
        await carol.WaitForLineAsync(":alice!~alice@irc PRIVMSG carol :marker");
        Assert.DoesNotContain(carol.Seen, line => line.Contains(" WALLOPS ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhowasTellsWhoHeldANicknameNewestFirstAndHonoursTheCount()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");

        foreach (var user in new[] { "first", "second" })
        {
            await using var bob = IrcTestClient.Open(server.IrcPort);
            await bob.SendAsync("NICK bob");
            await bob.SendAsync($"USER {user} 0 * :Bob the {user}");
            await bob.WaitForNumericAsync("376");
            await bob.SendAsync("QUIT :bye");
            await bob.WaitUntilClosedAsync();
        }

        await alice.SendAsync("WHOWAS bob");
        await alice.WaitForLineAsync(":catchat 314 alice bob ~second irc * :Bob the second");
        await alice.WaitForLineAsync(line => line.StartsWith(":catchat 312 alice bob catchat :", StringComparison.Ordinal), "312");
        await alice.WaitForLineAsync(":catchat 314 alice bob ~first irc * :Bob the first");
        await alice.WaitForNumericAsync("312");
        await alice.WaitForLineAsync(":catchat 369 alice bob :End of WHOWAS");

        await alice.SendAsync("WHOWAS BOB 1");
        await alice.WaitForLineAsync(":catchat 314 alice bob ~second irc * :Bob the second");
        await alice.WaitForNumericAsync("312");
        Assert.Equal(":catchat 369 alice BOB :End of WHOWAS", IrcTestClient.WithoutTags(await alice.WaitForLineAsync(line => IrcTestClient.Numeric(line) is "314" or "369", "the end")));

        await alice.SendAsync("NICK alicia");
        await alice.WaitForLineAsync(":alice!~alice@irc NICK alicia");
        await alice.SendAsync("WHOWAS alice");
        await alice.WaitForLineAsync(":catchat 314 alicia alice ~alice irc * :alice the tester");

        await alice.SendAsync("WHOWAS nobody");
        await alice.WaitForLineAsync(":catchat 406 alicia nobody :There was no such nickname");
        await alice.WaitForLineAsync(":catchat 369 alicia nobody :End of WHOWAS");
    }

    [Fact]
    public async Task LusersCountsUnregisteredConnectionsAndThePeak()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var pending = IrcTestClient.Open(server.IrcPort);
        await pending.SendAsync("NICK pending");
        await pending.SendAsync("PING sync");
        await pending.WaitForLineAsync(":catchat PONG catchat :sync");

        await alice.SendAsync("LUSERS");
        await alice.WaitForLineAsync(":catchat 253 alice 1 :unknown connection(s)");

        await pending.SendAsync("USER pending 0 * :Pending");
        await pending.WaitForNumericAsync("376");
        await pending.SendAsync("QUIT");
        await pending.WaitUntilClosedAsync();

        await alice.SendAsync("LUSERS");
        await alice.WaitForLineAsync(":catchat 253 alice 0 :unknown connection(s)");
        await alice.WaitForLineAsync(":catchat 265 alice 1 2 :Current local users 1, max 2");
        await alice.WaitForLineAsync(":catchat 266 alice 1 2 :Current global users 1, max 2");
    }
}
