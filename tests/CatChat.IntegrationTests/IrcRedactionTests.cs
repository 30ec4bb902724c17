using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>
/// IRCv3 draft/message-redaction: a line's author, or an operator of its room, takes it back with REDACT; clients
/// that asked for the capability are told, on every node, with the line's one message id; nobody else is; the line
/// leaves the recent lines a newcomer is shown.
/// </summary>
public sealed class IrcRedactionTests
{
    private static readonly string[] Redacting = ["message-tags", "echo-message", "batch", "labeled-response", "draft/message-redaction"];

    [Fact]
    public async Task AnAuthorTakesBackTheirLineForClientsThatFollowRedactionsAndForNewcomers()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice", Redacting);
        await using var bob = await server.ConnectIrcAsync("bob", Redacting);
        await using var carol = await server.ConnectIrcAsync("carol", "message-tags", "echo-message");
        await using var dave = await server.ConnectAsync("dave");
        foreach (var client in new[] { alice, bob, carol })
        {
            await client.JoinAsync("#lobby");
        }

        await bob.SendAsync("PRIVMSG #lobby :kept");
        await bob.SendAsync("PRIVMSG #lobby :oops");
        var echo = await bob.WaitForLineAsync(":bob!~bob@irc PRIVMSG #lobby :oops");
        var id = IrcTestClient.Tag(echo, "msgid")!;
        Assert.Equal(id, IrcTestClient.Tag(await alice.WaitForLineAsync(":bob!~bob@irc PRIVMSG #lobby :oops"), "msgid"));
        await carol.WaitForLineAsync(":bob!~bob@irc PRIVMSG #lobby :oops");
        await dave.WaitForLineAsync("<bob> oops");

        await bob.SendAsync($"@label=r1 REDACT #lobby {id} :typo");

        // Its author's own REDACT is the labeled reply; the other follower gets the same, unlabeled.
        var own = await bob.WaitForLineAsync(line => line.Contains(" REDACT ", StringComparison.Ordinal), "bob's REDACT");
        Assert.Equal("r1", IrcTestClient.Tag(own, "label"));
        Assert.Equal($":bob!~bob@irc REDACT #lobby {id} :typo", IrcTestClient.WithoutTags(own));
        await alice.WaitForLineAsync($":bob!~bob@irc REDACT #lobby {id} :typo");

        // A client that did not ask is not told, nor is a terminal; a line said afterwards reaches both, after nothing.
        await bob.SendAsync("PRIVMSG #lobby :after");
        await carol.WaitForLineAsync(":bob!~bob@irc PRIVMSG #lobby :after");
        await dave.WaitForLineAsync("<bob> after");
        Assert.DoesNotContain(carol.Seen, line => line.Contains("REDACT", StringComparison.Ordinal));
        Assert.DoesNotContain(dave.Seen, line => line.Contains(id, StringComparison.Ordinal) || line.Contains("typo", StringComparison.Ordinal));

        // A newcomer is shown the recent lines without it.
        await using var erin = await server.ConnectAsync("erin");
        await erin.WaitForSeenAsync(line => line.EndsWith("<bob> after", StringComparison.Ordinal), "the replayed last line");
        Assert.Contains(erin.Seen, line => line.EndsWith("<bob> kept", StringComparison.Ordinal));
        Assert.DoesNotContain(erin.Seen, line => line.Contains("oops", StringComparison.Ordinal));

        // Taken back once, it is no longer known.
        await bob.SendAsync($"REDACT #lobby {id}");
        await bob.WaitForLineAsync($":catchat FAIL REDACT UNKNOWN_MSGID #lobby {id} :No such message among the channel's recent ones");
    }

    [Fact]
    public async Task OnlyTheAuthorOrAnOperatorMayAndEveryOtherRedactionIsRefused()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice", Redacting);
        await using var bob = await server.ConnectIrcAsync("bob", Redacting);
        await alice.JoinAsync("#tea"); // The first member: its operator.
        await bob.JoinAsync("#tea");
        await alice.WaitForLineAsync(":bob!~bob@irc JOIN #tea");

        await alice.SendAsync("PRIVMSG #tea :the operator's");
        var aliceId = IrcTestClient.Tag(await bob.WaitForLineAsync(":alice!~alice@irc PRIVMSG #tea :the operator's"), "msgid")!;
        await bob.SendAsync($"REDACT #tea {aliceId}");
        await bob.WaitForLineAsync($":catchat FAIL REDACT REDACT_FORBIDDEN #tea {aliceId} :Only its author or a channel operator may redact a message");

        await bob.SendAsync("PRIVMSG #tea :spam");
        var bobId = IrcTestClient.Tag(await alice.WaitForLineAsync(":bob!~bob@irc PRIVMSG #tea :spam"), "msgid")!;
        await alice.SendAsync($"REDACT #tea {bobId} :spam");
        await alice.WaitForLineAsync($":alice!~alice@irc REDACT #tea {bobId} :spam");
        await bob.WaitForLineAsync($":alice!~alice@irc REDACT #tea {bobId} :spam");

        await bob.SendAsync("REDACT #tea nonexistent123");
        await bob.WaitForLineAsync(":catchat FAIL REDACT UNKNOWN_MSGID #tea nonexistent123 :No such message among the channel's recent ones");
        await bob.SendAsync("REDACT #elsewhere someid");
        await bob.WaitForLineAsync(":catchat FAIL REDACT INVALID_TARGET #elsewhere :You cannot redact messages there");
        await bob.SendAsync("REDACT alice someid");
        await bob.WaitForLineAsync(":catchat FAIL REDACT INVALID_TARGET * :You cannot redact messages there");
        await bob.SendAsync("REDACT #tea bad\u0001id");
        await bob.WaitForLineAsync(":catchat FAIL REDACT UNKNOWN_MSGID #tea * :No such message");
        await bob.SendAsync("REDACT #tea");
        await bob.WaitForNumericAsync("461");

        // Tags alone are not kept, so there is nothing to take back.
        await alice.SendAsync("@+draft/react=x TAGMSG #tea");
        var tagId = IrcTestClient.Tag(await alice.WaitForLineAsync(":alice!~alice@irc TAGMSG #tea"), "msgid")!;
        await alice.SendAsync($"REDACT #tea {tagId}");
        await alice.WaitForLineAsync($":catchat FAIL REDACT UNKNOWN_MSGID #tea {tagId} :No such message among the channel's recent ones");

        // The operator's own line is still there to take back.
        await alice.SendAsync($"REDACT #tea {aliceId}");
        await bob.WaitForLineAsync($":alice!~alice@irc REDACT #tea {aliceId}");
    }

    [Fact]
    public async Task ALineHasOneIdOnEveryNodeAndIsTakenBackOnEveryNode()
    {
        await using var cluster = await ChatCluster.StartWithIrcAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var alice = await a.ConnectIrcAsync("alice", Redacting);
        await using var bob = await b.ConnectIrcAsync("bob", Redacting);
        await alice.JoinAsync("#den");
        await bob.JoinAsync("#den");
        await alice.WaitForLineAsync(":bob!~bob@irc JOIN #den");

        await alice.SendAsync("PRIVMSG #den :across");
        var sent = IrcTestClient.Tag(await alice.WaitForLineAsync(":alice!~alice@irc PRIVMSG #den :across"), "msgid");
        var arrived = IrcTestClient.Tag(await bob.WaitForLineAsync(":alice!~alice@irc PRIVMSG #den :across"), "msgid");
        Assert.Equal(sent, arrived);

        // A private message across nodes has one id too.
        await bob.SendAsync("PRIVMSG alice :psst");
        var privateSent = IrcTestClient.Tag(await bob.WaitForLineAsync(":bob!~bob@irc PRIVMSG alice :psst"), "msgid");
        Assert.Equal(privateSent, IrcTestClient.Tag(await alice.WaitForLineAsync(":bob!~bob@irc PRIVMSG alice :psst"), "msgid"));

        await alice.SendAsync($"REDACT #den {sent} :gone");
        await bob.WaitForLineAsync($":alice!~alice@irc REDACT #den {sent} :gone");

        // On the other node it left the recent lines too: taking it back there again finds nothing.
        await bob.SendAsync("PRIVMSG #den :mine");
        var mine = IrcTestClient.Tag(await alice.WaitForLineAsync(":bob!~bob@irc PRIVMSG #den :mine"), "msgid")!;
        await bob.SendAsync($"REDACT #den {mine}");
        await alice.WaitForLineAsync($":bob!~bob@irc REDACT #den {mine}");
        await alice.SendAsync($"REDACT #den {mine}");
        await alice.WaitForLineAsync($":catchat FAIL REDACT UNKNOWN_MSGID #den {mine} :No such message among the channel's recent ones");
    }

    [Fact]
    public async Task ANetcatUserTakesBackTheirLastLinesWithUndo()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var bob = await server.ConnectIrcAsync("bob", Redacting);
        await bob.JoinAsync("#lobby");
        await using var alice = await server.ConnectAsync("alice");
        await alice.SendAsync("first");
        var first = IrcTestClient.Tag(await bob.WaitForLineAsync(":alice!nc@netcat PRIVMSG #lobby :first"), "msgid");
        await alice.SendAsync("/me second");
        var second = IrcTestClient.Tag(await bob.WaitForLineAsync(":alice!nc@netcat PRIVMSG #lobby :\u0001ACTION second\u0001"), "msgid");
        await bob.SendAsync("PRIVMSG #lobby :not hers");
        await alice.WaitForLineAsync("<bob> not hers");

        await alice.SendAsync("/undo");
        await alice.WaitForLineAsync("*** Your last line in #lobby was taken back.");
        await bob.WaitForLineAsync($":alice!nc@netcat REDACT #lobby {second}");
        await alice.SendAsync("/undo");
        await bob.WaitForLineAsync($":alice!nc@netcat REDACT #lobby {first}");
        await alice.SendAsync("/undo");
        await alice.WaitForLineAsync("! Nothing of yours to take back among the recent lines of #lobby.");
        Assert.Equal(2, bob.Seen.Count(line => line.Contains(" REDACT ", StringComparison.Ordinal)));
    }
}
