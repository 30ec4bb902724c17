using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>IRCv3 labeled-response with batch: a labeled command's replies come back labeled, and only to its sender.</summary>
public sealed class IrcLabeledResponseTests
{
    [Fact]
    public async Task RepliesAreLabeledBatchedWhenSeveralAndAcknowledgedWhenNone()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice", "batch", "labeled-response", "echo-message");
        await using var bob = await server.ConnectIrcAsync("bob");
        await bob.JoinAsync("#den");

        await alice.SendAsync("@label=one PING :hello");
        await alice.WaitForLineAsync(line => line == "@label=one :catchat PONG catchat :hello", "the labeled PONG");
        await alice.SendAsync("@label=two PONG :nothing");
        await alice.WaitForLineAsync(line => line == "@label=two :catchat ACK", "the ACK");
        await alice.SendAsync("@label=xyz NOSUCHCOMMAND");
        await alice.WaitForLineAsync(line => line == "@label=xyz :catchat 421 alice NOSUCHCOMMAND :Unknown command", "the labeled 421");

        // JOIN answers with several lines: one labeled BATCH holds them all; bob sees the JOIN without any label.
        await alice.SendAsync("@label=three JOIN #den");
        var start = await alice.WaitForLineAsync(line => line.StartsWith("@label=three :catchat BATCH +", StringComparison.Ordinal), "the batch's start");
        var id = start.Split(' ')[3][1..];
        Assert.Matches("^[A-Za-z0-9-]+$", id);
        await alice.WaitForLineAsync(line => line == ":catchat BATCH -" + id, "the batch's end");
        var inside = alice.Seen.SkipWhile(line => line != start).Skip(1).TakeWhile(line => line != ":catchat BATCH -" + id).ToList();
        Assert.Contains("@batch=" + id + " :alice!~alice@irc JOIN #den", inside);
        Assert.Contains(inside, line => IrcTestClient.Numeric(line) == "366"); // NAMES, in the same batch.
        Assert.All(inside, line => Assert.StartsWith("@batch=" + id + " ", line, StringComparison.Ordinal));
        await bob.WaitForLineAsync(":alice!~alice@irc JOIN #den");

        await alice.SendAsync("@label=four PRIVMSG #den :hi");
        await alice.WaitForLineAsync(line => line == "@label=four :alice!~alice@irc PRIVMSG #den :hi", "the labeled echo");
        var received = await bob.WaitForLineAsync(line => line.EndsWith(" PRIVMSG #den :hi", StringComparison.Ordinal), "bob's copy");
        Assert.DoesNotContain("label", received, StringComparison.Ordinal);
    }
}
