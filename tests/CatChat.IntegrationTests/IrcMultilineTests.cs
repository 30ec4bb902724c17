using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>
/// IRCv3 draft/multiline: a message of several lines reaches clients that take it whole as one batch, every other IRC
/// client and netcat user as its non-blank lines in order; a malformed or oversized batch is refused whole.
/// </summary>
public sealed class IrcMultilineTests
{
    private const string Said = " PRIVMSG #lobby :";

    private static readonly string[] Whole = ["message-tags", "batch", "echo-message", "server-time", "labeled-response", "draft/multiline"];

    [Fact]
    public async Task AMultilineMessageGoesWholeToClientsThatTakeItAndLineByLineToEveryoneElse()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice", Whole);
        await using var bob = await server.ConnectIrcAsync("bob", Whole);
        await using var carol = await server.ConnectIrcAsync("carol", "message-tags", "batch", "server-time");
        await using var dave = await server.ConnectAsync("dave");
        foreach (var client in new[] { alice, bob, carol })
        {
            await client.JoinAsync("#lobby");
        }

        await alice.SendAsync("@label=xyz;+draft/reply=abc BATCH +p1 draft/multiline #lobby");
        await alice.SendAsync("@batch=p1 PRIVMSG #lobby :hello");
        await alice.SendAsync("@batch=p1 PRIVMSG #lobby :");
        await alice.SendAsync("@batch=p1 PRIVMSG #lobby :how is ");
        await alice.SendAsync("@batch=p1;draft/multiline-concat PRIVMSG #lobby :everyone?");
        await alice.SendAsync("BATCH -p1");

        // The echo: the whole message, the label on the batch's start with the message's id and time.
        var echoStart = await alice.WaitForLineAsync(line => line.Contains(" BATCH +", StringComparison.Ordinal), "the echo's start");
        Assert.StartsWith("@label=xyz;msgid=", echoStart, StringComparison.Ordinal);
        var reference = echoStart.Split(' ')[3][1..];
        Assert.EndsWith($":alice!~alice@irc BATCH +{reference} draft/multiline #lobby", echoStart, StringComparison.Ordinal);
        var msgid = Tag(echoStart, "msgid");
        Assert.Equal("abc", Tag(echoStart, "+draft/reply"));
        await alice.WaitForLineAsync(":alice!~alice@irc BATCH -" + reference);
        Assert.Equal(
            [
                $"@batch={reference} :alice!~alice@irc PRIVMSG #lobby :hello",
                $"@batch={reference} :alice!~alice@irc PRIVMSG #lobby :",
                $"@batch={reference} :alice!~alice@irc PRIVMSG #lobby :how is ",
                $"@batch={reference};draft/multiline-concat :alice!~alice@irc PRIVMSG #lobby :everyone?",
            ],
            Inside(alice, reference));

        // bob takes it whole too, the same id and time, no label.
        var bobStart = await bob.WaitForLineAsync(line => line.Contains(" BATCH +", StringComparison.Ordinal), "bob's batch");
        Assert.Equal(msgid, Tag(bobStart, "msgid"));
        Assert.Equal(Tag(echoStart, "time"), Tag(bobStart, "time"));
        Assert.Null(Tag(bobStart, "label"));
        await bob.WaitForLineAsync(":alice!~alice@irc BATCH -" + reference);
        Assert.Equal(4, Inside(bob, reference).Count);

        // carol does not: three PRIVMSGs, the blank line left out, the id on the first alone, the sender's tags on each.
        var carolLines = new List<string>();
        foreach (var text in new[] { "hello", "how is ", "everyone?" })
        {
            carolLines.Add(await carol.WaitForLineAsync(line => line.EndsWith(" PRIVMSG #lobby :" + text, StringComparison.Ordinal), text));
        }

        Assert.Equal([msgid, null, null], carolLines.Select(line => Tag(line, "msgid")));
        Assert.All(carolLines, line => Assert.Equal("abc", Tag(line, "+draft/reply")));
        Assert.All(carolLines, line => Assert.Equal(Tag(echoStart, "time"), Tag(line, "time")));
        Assert.DoesNotContain(carol.Seen, line => line.Contains(" BATCH ", StringComparison.Ordinal) || line.Contains("multiline-concat", StringComparison.Ordinal));

        // The netcat user reads the lines in order, as lines of alice's.
        await dave.WaitForLineAsync("<alice> hello");
        await dave.WaitForLineAsync("<alice> how is ");
        await dave.WaitForLineAsync("<alice> everyone?");

        // And the history has them as lines: a netcat user who logs in now is shown them.
        await using var erin = await server.ConnectAsync("erin");
        await erin.WaitForSeenAsync(line => line.EndsWith("<alice> everyone?", StringComparison.Ordinal), "the replayed last line");
    }

    [Fact]
    public async Task AMalformedOrOversizedBatchIsRefusedWholeAndNothingOfItIsSaid()
    {
        // Flood control off: a batch's lines count as any other lines, and this sends over a hundred of them.
        await using var server = await ChatServer.StartWithIrcAsync("--flood-burst", "0");
        await using var alice = await server.ConnectIrcAsync("alice", Whole);
        await using var bob = await server.ConnectIrcAsync("bob", Whole);
        await alice.JoinAsync("#den");
        await bob.JoinAsync("#den");

        await alice.SendAsync("CAP LS 302");
        await alice.WaitForLineAsync(line => line.Contains(" CAP alice LS ", StringComparison.Ordinal) && line.Contains(" draft/multiline=max-bytes=4096,max-lines=100", StringComparison.Ordinal), "the limits");

        // A blank line cannot continue the one before it.
        await alice.SendAsync("BATCH +b1 draft/multiline #den");
        await alice.SendAsync("@batch=b1 PRIVMSG #den :first");
        await alice.SendAsync("@batch=b1;draft/multiline-concat PRIVMSG #den :");
        await alice.WaitForLineAsync(line => line.StartsWith(":catchat FAIL BATCH MULTILINE_INVALID ", StringComparison.Ordinal), "the refusal");
        await alice.SendAsync("BATCH -b1"); // dropped quietly: the batch was refused

        // A line naming another batch.
        await alice.SendAsync("BATCH +b2 draft/multiline #den");
        await alice.SendAsync("@batch=other PRIVMSG #den :lost");
        await alice.WaitForLineAsync(line => line.StartsWith(":catchat FAIL BATCH MULTILINE_INVALID ", StringComparison.Ordinal) && alice.Seen.Count(l => l.Contains("MULTILINE_INVALID", StringComparison.Ordinal)) == 2, "the second refusal");

        // A line to another target.
        await alice.SendAsync("BATCH +b3 draft/multiline #den");
        await alice.SendAsync("@batch=b3 PRIVMSG #elsewhere :astray");
        await alice.WaitForLineAsync(":catchat FAIL BATCH MULTILINE_INVALID_TARGET #elsewhere #den :Every line of a multiline batch goes to its target");

        // One line over the limit of lines, then one byte over the limit of bytes.
        await alice.SendAsync("BATCH +b4 draft/multiline #den");
        for (var i = 0; i < 101; i++)
        {
            await alice.SendAsync("@batch=b4 PRIVMSG #den :x");
        }

        await alice.WaitForLineAsync(":catchat FAIL BATCH MULTILINE_MAX_LINES 100 :Too many lines in one multiline message");
        await alice.SendAsync("BATCH -b4");
        await alice.SendAsync("BATCH +b5 draft/multiline #den");
        for (var i = 0; i < 10; i++)
        {
            await alice.SendAsync("@batch=b5 PRIVMSG #den :" + new string('y', 400));
        }

        await alice.SendAsync("@batch=b5;draft/multiline-concat PRIVMSG #den :" + new string('z', 97));
        await alice.WaitForLineAsync(":catchat FAIL BATCH MULTILINE_MAX_BYTES 4096 :Too many bytes in one multiline message");
        await alice.SendAsync("BATCH -b5");

        // A client that did not ask for multiline messages is told to.
        await using var carol = await server.ConnectIrcAsync("carol");
        await carol.JoinAsync("#den");
        await carol.SendAsync("BATCH +c1 draft/multiline #den");
        await carol.WaitForLineAsync(":catchat FAIL BATCH MULTILINE_INVALID :Ask for draft/multiline (CAP REQ) before sending a multiline batch");

        // None of it reached bob: the next thing he hears is a plain line, and alice heard no other complaint.
        await alice.SendAsync("PRIVMSG #den :after");
        await bob.WaitForLineAsync(line => line.EndsWith(" PRIVMSG #den :after", StringComparison.Ordinal), "the plain line");
        Assert.DoesNotContain(bob.Seen, line => line.Contains("BATCH", StringComparison.Ordinal) || line.Contains("PRIVMSG #den :first", StringComparison.Ordinal)
            || line.Contains(" :x", StringComparison.Ordinal) || line.Contains(" :yyy", StringComparison.Ordinal));
        Assert.Equal(5, alice.Seen.Count(line => line.Contains(" FAIL BATCH ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AMultilineMessageReachesClientsThatTakeItWholeOnAnotherNode()
    {
        await using var cluster = await ChatCluster.StartWithIrcAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var alice = await a.ConnectIrcAsync("alice", Whole);
        await using var bob = await b.ConnectIrcAsync("bob", Whole);
        await using var carol = await b.ConnectIrcAsync("carol");
        await alice.JoinAsync("#den");
        await bob.JoinAsync("#den");
        await carol.JoinAsync("#den");
        await alice.WaitForLineAsync(line => line.EndsWith("carol!~carol@irc JOIN #den", StringComparison.Ordinal), "carol's arrival");

        await alice.SendAsync("BATCH +x draft/multiline #den");
        await alice.SendAsync("@batch=x PRIVMSG #den :one");
        await alice.SendAsync("@batch=x PRIVMSG #den :");
        await alice.SendAsync("@batch=x PRIVMSG #den :two, ");
        await alice.SendAsync("@batch=x;draft/multiline-concat PRIVMSG #den :continued");
        await alice.SendAsync("BATCH -x");

        var start = await bob.WaitForLineAsync(line => line.Contains(" BATCH +", StringComparison.Ordinal), "bob's batch");
        var reference = start.Split(' ')[3][1..];
        await bob.WaitForLineAsync(line => line.EndsWith(" BATCH -" + reference, StringComparison.Ordinal), "the batch's end");
        Assert.Equal(
            [
                $"@batch={reference} :alice!~alice@irc PRIVMSG #den :one",
                $"@batch={reference} :alice!~alice@irc PRIVMSG #den :",
                $"@batch={reference} :alice!~alice@irc PRIVMSG #den :two, ",
                $"@batch={reference};draft/multiline-concat :alice!~alice@irc PRIVMSG #den :continued",
            ],
            Inside(bob, reference));
        await carol.WaitForLineAsync(":alice!~alice@irc PRIVMSG #den :one");
        await carol.WaitForLineAsync(":alice!~alice@irc PRIVMSG #den :two, ");
        await carol.WaitForLineAsync(":alice!~alice@irc PRIVMSG #den :continued");

        // A plain line afterwards is a plain line on the other node, not a part of the message before.
        await alice.SendAsync("PRIVMSG #den :plain");
        await bob.WaitForLineAsync(line => line.EndsWith(":alice!~alice@irc PRIVMSG #den :plain", StringComparison.Ordinal) && !line.Contains("batch=", StringComparison.Ordinal), "the plain line");
        Assert.Single(bob.Seen, line => line.Contains(" BATCH +", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SeveralLinesFromTheWebChatAreOneMultilineMessage()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await WebChatClient.ConnectAsync(server, "alice");
        await using var bob = await server.ConnectIrcAsync("bob", Whole);
        await using var carol = await server.ConnectIrcAsync("carol");
        await using var dave = await server.ConnectAsync("dave");
        await bob.JoinAsync("#lobby");
        await carol.JoinAsync("#lobby");

        // A paste: blank lines at its edges are dropped, the one inside is kept for those who take the whole.
        await alice.SendAsync(new { type = "say", text = "\nfirst line\r\n\nsecond line\nthird\n\n" });

        var start = await bob.WaitForLineAsync(line => line.Contains(" BATCH +", StringComparison.Ordinal), "bob's batch");
        var reference = start.Split(' ')[3][1..];
        await bob.WaitForLineAsync(line => line.EndsWith(" BATCH -" + reference, StringComparison.Ordinal), "the batch's end");
        Assert.Equal(["first line", "", "second line", "third"], Inside(bob, reference).Select(line => line[(line.IndexOf(Said, StringComparison.Ordinal) + Said.Length)..]));
        foreach (var text in new[] { "first line", "second line", "third" })
        {
            await carol.WaitForLineAsync(":alice!web@web PRIVMSG #lobby :" + text);
            await dave.WaitForLineAsync("<alice> " + text);
            await alice.WaitForAsync(m => m.Type() == "line" && m.String("nick") == "alice" && m.Text() == text, "her own line back: " + text);
        }

        // A private message of several lines goes line by line; to nobody, it is refused once.
        await alice.SendAsync(new { type = "msg", to = "carol", text = "psst\nover here" });
        await carol.WaitForLineAsync(":alice!web@web PRIVMSG carol :psst");
        await carol.WaitForLineAsync(":alice!web@web PRIVMSG carol :over here");
        await alice.SendAsync(new { type = "msg", to = "nobody", text = "one\ntwo\nthree" });
        await alice.WaitForAsync(m => m.Type() == "error" && m.String("code") == "msg", "the refusal of a message to nobody");

        // Past the limits (101 lines), nothing is said, and she is told.
        await alice.SendAsync(new { type = "say", text = string.Join('\n', Enumerable.Range(0, 101).Select(i => "line " + i)) });
        await alice.WaitForAsync(m => m.Type() == "error" && m.String("code") == "too-long", "the refusal");
        await alice.SendAsync(new { type = "say", text = "after" });
        await dave.WaitForLineAsync("<alice> after");
        Assert.DoesNotContain(dave.Seen, line => line.Contains("line 0", StringComparison.Ordinal));
        Assert.Single(alice.Seen, m => m.Type() == "error" && m.String("code") == "msg");
    }

    private static string? Tag(string line, string name) => IrcTestClient.Tag(line, name);

    private static List<string> Inside(IrcTestClient client, string reference) =>
        [.. client.Seen.SkipWhile(line => !line.Contains(" BATCH +" + reference, StringComparison.Ordinal)).Skip(1)
            .TakeWhile(line => !line.EndsWith(" BATCH -" + reference, StringComparison.Ordinal))];
}
