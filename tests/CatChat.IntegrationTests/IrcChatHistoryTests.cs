using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>
/// IRCv3 draft/chathistory: a client in a room fetches its earlier lines by message id or time, from the database and
/// from the lines not stored yet alike, in a chathistory batch; taken-back lines are gone; other targets are refused.
/// </summary>
public sealed class IrcChatHistoryTests
{
    private static readonly string[] Historian = ["batch", "server-time", "message-tags", "echo-message", "labeled-response", "draft/chathistory", "draft/message-redaction"];

    [Fact]
    public async Task EverySubcommandPagesThroughStoredLinesByMessageIdAndTime()
    {
        // 110 lines: the room's recent lines keep the last 100, so the oldest are read from the database alone.
        await using var server = await ChatServer.StartWithIrcAsync("--flood-burst", "0");
        await using var alice = await server.ConnectIrcAsync("alice", Historian);
        await alice.JoinAsync("#tea");
        var ids = new List<string>();
        for (var i = 0; i < 110; i++)
        {
            await alice.SendAsync($"PRIVMSG #tea :line {i}");
            ids.Add(IrcTestClient.Tag(await alice.WaitForLineAsync($":alice!~alice@irc PRIVMSG #tea :line {i}"), "msgid")!);
        }

        await server.WaitUntilHistoryStoredAsync(110);

        Assert.Equal(["line 107", "line 108", "line 109"], await TextsAsync(alice, "CHATHISTORY LATEST #tea * 3"));
        Assert.Equal(["line 108", "line 109"], await TextsAsync(alice, $"CHATHISTORY LATEST #tea msgid={ids[107]} 10"));
        Assert.Equal(["line 2", "line 3", "line 4"], await TextsAsync(alice, $"CHATHISTORY BEFORE #tea msgid={ids[5]} 3"));
        Assert.Equal(["line 6", "line 7"], await TextsAsync(alice, $"CHATHISTORY AFTER #tea msgid={ids[5]} 2"));
        Assert.Equal(["line 3", "line 4", "line 5", "line 6"], await TextsAsync(alice, $"CHATHISTORY AROUND #tea msgid={ids[5]} 4"));
        Assert.Equal(["line 3", "line 4", "line 5"], await TextsAsync(alice, $"CHATHISTORY BETWEEN #tea msgid={ids[2]} msgid={ids[6]} 10"));
        Assert.Equal(["line 4", "line 5"], await TextsAsync(alice, $"CHATHISTORY BETWEEN #tea msgid={ids[6]} msgid={ids[2]} 2"));
        Assert.Equal(["line 0", "line 1"], await TextsAsync(alice, "CHATHISTORY AFTER #tea timestamp=2000-01-01T00:00:00.000Z 2"));
        Assert.Equal(["line 108", "line 109"], await TextsAsync(alice, $"CHATHISTORY BEFORE #tea timestamp={DateTimeOffset.UtcNow.AddDays(1):yyyy-MM-ddTHH:mm:ss.fffZ} 2"));
        Assert.Equal(100, (await TextsAsync(alice, "CHATHISTORY LATEST #tea * 1000")).Count); // CHATHISTORY=100.

        // Around a recent line (stored too, less exactly): the line itself once, where it belongs; and across the edge
        // between lines only stored and recent ones.
        Assert.Equal(["line 106", "line 107"], await TextsAsync(alice, $"CHATHISTORY BEFORE #tea msgid={ids[108]} 2"));
        Assert.Equal(["line 106", "line 107", "line 108", "line 109"], await TextsAsync(alice, $"CHATHISTORY AROUND #tea msgid={ids[108]} 4"));
        Assert.Equal(["line 6", "line 7", "line 8", "line 9", "line 10", "line 11"], await TextsAsync(alice, $"CHATHISTORY BETWEEN #tea msgid={ids[5]} msgid={ids[12]} 100"));
        Assert.Empty(await TextsAsync(alice, "CHATHISTORY BEFORE #tea msgid=nosuchid 10"));

        // Each line as it was said: its id and time, in one batch for the room.
        var batch = await BatchAsync(alice, $"CHATHISTORY AFTER #tea msgid={ids[0]} 1");
        Assert.Equal(ids[1], IrcTestClient.Tag(batch[1], "msgid"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", IrcTestClient.Tag(batch[1], "time"));
        Assert.Matches(@"^:catchat BATCH \+\S+ chathistory #tea$", batch[0]);
        Assert.EndsWith(":alice!*@* PRIVMSG #tea :line 1", batch[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinesNotStoredYetAreThereActionsReadAsActionsAndTakenBackLinesAreGone()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice", Historian);
        await using var bob = await server.ConnectAsync("bob");
        await alice.JoinAsync("#lobby");
        await bob.SendAsync("just now");
        await bob.SendAsync("/me waves");
        await alice.WaitForLineAsync(":bob!nc@netcat PRIVMSG #lobby :\u0001ACTION waves\u0001");
        await alice.SendAsync("PRIVMSG #lobby :oops");
        var oops = IrcTestClient.Tag(await alice.WaitForLineAsync(":alice!~alice@irc PRIVMSG #lobby :oops"), "msgid");

        // Asked at once, before the history writer has stored them.
        Assert.Equal(["just now", "\u0001ACTION waves\u0001", "oops"], await TextsAsync(alice, "CHATHISTORY LATEST #lobby * 10"));

        await alice.SendAsync($"REDACT #lobby {oops}");
        await alice.WaitForLineAsync($":alice!~alice@irc REDACT #lobby {oops}");
        Assert.Equal(["just now", "\u0001ACTION waves\u0001"], await TextsAsync(alice, "CHATHISTORY LATEST #lobby * 10"));
        await server.WaitUntilHistoryStoredAsync(2);
        Assert.Equal(["just now", "\u0001ACTION waves\u0001"], await TextsAsync(alice, "CHATHISTORY LATEST #lobby * 10"));

        // A labeled CHATHISTORY: the label is on the batch's start.
        await alice.SendAsync("@label=h1 CHATHISTORY LATEST #lobby * 1");
        var start = await alice.WaitForLineAsync(line => line.Contains(" BATCH +", StringComparison.Ordinal) && line.Contains("label=h1", StringComparison.Ordinal), "the labeled batch");
        Assert.StartsWith("@label=h1 :catchat BATCH +", start, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetsListsOnesRoomsThatSpokeAndEverythingElseIsRefused()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice", Historian);
        await using var bob = await server.ConnectIrcAsync("bob");
        await alice.JoinAsync("#quiet");
        await alice.JoinAsync("#b");
        await alice.JoinAsync("#a");
        await bob.JoinAsync("#secret");
        await alice.SendAsync("PRIVMSG #b :first");
        await alice.WaitForLineAsync(":alice!~alice@irc PRIVMSG #b :first");
        await alice.SendAsync("PRIVMSG #a :second");
        await alice.WaitForLineAsync(":alice!~alice@irc PRIVMSG #a :second");

        var targets = await BatchAsync(alice, "CHATHISTORY TARGETS timestamp=2000-01-01T00:00:00.000Z timestamp=2100-01-01T00:00:00.000Z 10");
        Assert.Matches(@"^:catchat BATCH \+\S+ draft/chathistory-targets$", targets[0]);
        Assert.Equal(["#b", "#a"], targets[1..^1].Select(line => IrcTestClient.WithoutTags(line).Split(' ')[3]));
        Assert.All(targets[1..^1], line => Assert.Matches(@" CHATHISTORY TARGETS #\w \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line));

        await alice.SendAsync("CHATHISTORY LATEST #secret * 10");
        await alice.WaitForLineAsync(":catchat FAIL CHATHISTORY INVALID_TARGET LATEST #secret :You can only fetch the history of a channel you are in");
        await alice.SendAsync("CHATHISTORY LATEST bob * 10");
        await alice.WaitForLineAsync(":catchat FAIL CHATHISTORY INVALID_TARGET LATEST bob :You can only fetch the history of a channel you are in");
        await alice.SendAsync("CHATHISTORY LATEST #a * zero");
        await alice.WaitForLineAsync(":catchat FAIL CHATHISTORY INVALID_PARAMS LATEST zero :The limit is not a positive whole number");
        await alice.SendAsync("CHATHISTORY BEFORE #a * 10");
        await alice.WaitForLineAsync(":catchat FAIL CHATHISTORY INVALID_PARAMS BEFORE * :Not a message reference: use msgid=, timestamp= or, for LATEST, *");
        await alice.SendAsync("CHATHISTORY SIDEWAYS #a * 10");
        await alice.WaitForLineAsync(":catchat FAIL CHATHISTORY INVALID_PARAMS SIDEWAYS :Unknown CHATHISTORY subcommand");
        await alice.SendAsync("CHATHISTORY BETWEEN #a * 10");
        await alice.WaitForLineAsync(":catchat FAIL CHATHISTORY NEED_MORE_PARAMS BETWEEN :Missing parameters");
    }

    // The texts of the PRIVMSGs a CHATHISTORY command answers with.
    private static async Task<List<string>> TextsAsync(IrcTestClient client, string command) =>
        [.. (await BatchAsync(client, command))[1..^1].Select(line => IrcTestClient.WithoutTags(line).Split(" :", 2)[1])];

    // The lines of the batch a command answers with, its start and end included.
    private static async Task<List<string>> BatchAsync(IrcTestClient client, string command)
    {
        var seen = client.Seen.Count;
        await client.SendAsync(command);
        var start = await client.WaitForLineAsync(line => client.Seen.Skip(seen).Contains(line) && line.Contains(" BATCH +", StringComparison.Ordinal), "the batch's start");
        var reference = start.Split(' ')[2][1..];
        await client.WaitForLineAsync(line => line.EndsWith(" BATCH -" + reference, StringComparison.Ordinal), "the batch's end");
        var lines = client.Seen.Skip(seen).ToList();
        return lines[lines.IndexOf(start)..(lines.FindIndex(line => line.EndsWith(" BATCH -" + reference, StringComparison.Ordinal)) + 1)];
    }
}
