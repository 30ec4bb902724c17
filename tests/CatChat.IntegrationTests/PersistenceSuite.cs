using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CatChat.Chat;
using CatChat.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.IntegrationTests;

/// <summary>
/// The persistence rules, run once per database: each subclass says how a test gets a fresh store
/// (settings that a restart can reuse to find the same data).
/// </summary>
public abstract class PersistenceSuite
{
    /// <summary>Settings that point a server at a new, empty store of this kind.</summary>
    protected abstract Task<string[]> StorageAsync();

    /// <summary>GET /healthz: its status code and body.</summary>
    private protected static async Task<(HttpStatusCode Status, JsonElement Body)> HealthAsync(ChatServer server)
    {
        using var client = server.CreateHttpClient();
        using var response = await client.GetAsync("healthz");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>The status one check of /healthz reports.</summary>
    protected static string? CheckStatus(JsonElement health, string check) =>
        health.GetProperty("checks").GetProperty(check).GetProperty("status").GetString();

    [Fact]
    public async Task HealthIsHealthyWithEveryCheckNamedWhileTheDatabaseAnswers()
    {
        await using var server = await ChatServer.StartAsync(await StorageAsync());
        await using var alice = await server.ConnectAsync("alice");

        var (status, health) = await HealthAsync(server);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal(1, health.GetProperty("users").GetInt32());
        Assert.Equal("healthy", CheckStatus(health, "database"));
        Assert.Equal("healthy", CheckStatus(health, "historyWriter"));
    }

    [Fact]
    public async Task BannerAndHistorySurviveARestart()
    {
        var storage = await StorageAsync();
        await using (var first = await ChatServer.StartAsync(storage))
        {
            using var admin = first.CreateHttpClient(admin: true);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/banner", new { banner = "Stored banner" })).StatusCode);
            await using var alice = await first.ConnectAsync("alice");
            await using var bob = await first.ConnectAsync("bob");
            await alice.SendAsync("remember me");
            await alice.SendAsync("/me waves");
            await bob.WaitForLineAsync("* alice waves");
        }

        // A graceful stop flushes the history queue; the second process reads what the first wrote.
        await using var second = await ChatServer.StartAsync(storage);
        await using var carol = await second.ConnectAsync();

        var replayed = await carol.WaitForReplayAsync();
        Assert.Equal("Stored banner", carol.Seen[0]);
        Assert.Contains(replayed, line => line.EndsWith("] <alice> remember me", StringComparison.Ordinal));
        Assert.Contains(replayed, line => line.EndsWith("] * alice waves", StringComparison.Ordinal));

        using var client = second.CreateHttpClient(admin: true);
        var page = JsonDocument.Parse(await client.GetStringAsync("api/history?limit=50&search=remember")).RootElement;
        var line = Assert.Single(page.GetProperty("lines").EnumerateArray().ToList());
        Assert.Equal("alice", line.GetProperty("nick").GetString());
        Assert.Equal("message", line.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task HistoryCommandShowsStoredLines()
    {
        await using var server = await ChatServer.StartAsync([.. await StorageAsync(), "--history-replay", "0"]);
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.SendAsync("first words");
        await bob.WaitForLineAsync("<alice> first words");
        // Two joins, two renames and the message: all five stored.
        await server.WaitUntilHistoryStoredAsync(5);

        await bob.SendAsync("/history 5");

        await bob.WaitForLineAsync(line => line.EndsWith("] <alice> first words", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PrivateMessagesAreStoredOnlyWhenConfigured(bool storePrivate)
    {
        await using var server = await ChatServer.StartAsync([.. await StorageAsync(), "--history-private", storePrivate ? "true" : "false"]);
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.SendAsync("/msg bob the secret");
        await alice.SendAsync("public marker");
        await bob.WaitForLineAsync("<alice> public marker");
        await server.WaitUntilHistoryStoredAsync(storePrivate ? 6 : 5);
        using var admin = server.CreateHttpClient(admin: true);

        var page = JsonDocument.Parse(await admin.GetStringAsync("api/history?search=secret")).RootElement;

        var lines = page.GetProperty("lines").EnumerateArray().ToList();
        if (storePrivate)
        {
            Assert.Equal("private", Assert.Single(lines).GetProperty("kind").GetString());
        }
        else
        {
            Assert.Empty(lines);
        }
    }

    [Fact]
    public async Task ARoomsLinesAreFiledUnderItAndOutliveARestart()
    {
        var storage = await StorageAsync();
        await using (var first = await ChatServer.StartAsync(storage))
        {
            await using var alice = await first.ConnectAsync("alice");
            await alice.SendAsync("in the lobby");
            await alice.SendAsync("/join #Cats");
            await alice.SendAsync("meow");
            await alice.WaitForLineAsync(line => line.StartsWith("*** You joined #Cats", StringComparison.Ordinal), "the join");
            await first.WaitUntilHistoryStoredAsync(3); // Her join notice, and the two lines.
        }

        await using var second = await ChatServer.StartAsync(storage);
        await using var bob = await second.ConnectAsync("bob");
        await bob.SendAsync("/join #cats");
        await bob.SendAsync("/history");
        await bob.WaitForLineAsync("*** Last line of #cats:");
        await bob.WaitForLineAsync(line => line.EndsWith("] <alice> meow", StringComparison.Ordinal), "the room's line");
        await bob.SendAsync("/join #lobby");
        await bob.SendAsync("/history");
        await bob.WaitForLineAsync(line => line.EndsWith("] <alice> in the lobby", StringComparison.Ordinal), "the lobby's line");
        await bob.SendAsync("/msg bob marker");

        var seen = await bob.LinesBeforeAsync("-> *bob* marker");
        Assert.Single(seen, line => line.EndsWith("] <alice> meow", StringComparison.Ordinal));
        using var admin = second.CreateHttpClient(admin: true);
        var cats = JsonDocument.Parse(await admin.GetStringAsync("api/history?room=%23CATS")).RootElement.GetProperty("lines");
        Assert.Equal(["meow"], cats.EnumerateArray().Select(line => line.GetProperty("text").GetString()));
        var lobby = JsonDocument.Parse(await admin.GetStringAsync("api/history")).RootElement.GetProperty("lines");
        Assert.DoesNotContain(lobby.EnumerateArray(), line => line.GetProperty("text").GetString() == "meow");
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("api/history?room=cats")).StatusCode);
    }

    [Fact]
    public async Task ARoomsTopicOutlivesARestartAndTheRoom()
    {
        var storage = await StorageAsync();
        await using (var first = await ChatServer.StartAsync(storage))
        {
            await using var alice = await first.ConnectAsync("alice");
            await alice.SendAsync("/join #cats");
            await alice.SendAsync("/topic cats only, please");
            await alice.WaitForLineAsync("*** alice set the topic of #cats: cats only, please");
        }

        await using var second = await ChatServer.StartAsync(storage);
        await using var bob = await second.ConnectAsync("bob");
        await bob.SendAsync("/join #Cats");

        await bob.WaitForLineAsync("*** Topic of #Cats: cats only, please");
    }

    [Fact]
    public async Task EveryKindOfLineIsStoredAsGivenInOneBatch()
    {
        await using var server = await ChatServer.StartAsync(await StorageAsync());
        var store = server.Services.GetRequiredService<IChatStore>();
        var start = new DateTimeOffset(2026, 11, 25, 12, 0, 0, 123, TimeSpan.FromHours(2));
        HistoryEntry[] given =
        [
            new(start, HistoryKind.Message, "alice", "plain words"),
            new(start.AddMilliseconds(1), HistoryKind.Action, "bob", "waves 👋 and says «ça va?»"),
            new(start.AddMilliseconds(2), HistoryKind.Notice, null, "guest-1 has joined"),
            new(start.AddMilliseconds(3), HistoryKind.Private, "carol", "it's \"quoted\"; DROP TABLE history; --"),
            new(start.AddMilliseconds(4), HistoryKind.Message, "dave", new string('x', 4096)),
        ];

        await store.AppendHistoryAsync(given, CancellationToken.None);

        var stored = await store.ReadHistoryAsync(before: null, limit: 10, search: null, room: null, CancellationToken.None);
        Assert.Equal(given.Reverse().Select(e => e with { Time = e.Time.ToUniversalTime() }), stored.Select(e => e with { Time = e.Time.ToUniversalTime() }));
    }

    [Fact]
    public async Task MessageIdsAreStoredWithTheirLinesAndReadBack()
    {
        // More lines than one multi-row INSERT takes, so the ids of a full INSERT and of the part-filled one are checked.
        await using var server = await ChatServer.StartAsync(await StorageAsync());
        var store = server.Services.GetRequiredService<IChatStore>();
        var start = new DateTimeOffset(2026, 12, 8, 12, 0, 0, TimeSpan.Zero);
        var given = Enumerable.Range(0, 100)
            .Select(i => new HistoryEntry(start.AddMilliseconds(i), HistoryKind.Message, "cat", $"line {i}", MessageId: i % 7 == 0 ? null : $"{i:x16}{i}"))
            .ToList();
        var tooLong = new HistoryEntry(start.AddSeconds(1), HistoryKind.Message, "cat", "a line with an id longer than its column", MessageId: new string('i', 65));
        given.Add(tooLong);

        await store.AppendHistoryAsync(given, CancellationToken.None);

        // An id longer than its column is not stored, and does not refuse the batch.
        var stored = await store.ReadHistoryAsync(before: null, limit: 1000, search: null, room: null, CancellationToken.None);
        IEnumerable<HistoryEntry> expected = [.. given[..^1], tooLong with { MessageId = null }];
        Assert.Equal(expected.Reverse(), stored.Select(e => e with { Time = e.Time.ToUniversalTime() }));
    }

    [Fact]
    public async Task DeletingByMessageIdsRemovesExactlyTheLinesWithThoseIds()
    {
        // More ids than one DELETE takes.
        await using var server = await ChatServer.StartAsync(await StorageAsync());
        var store = server.Services.GetRequiredService<IChatStore>();
        var start = new DateTimeOffset(2026, 12, 8, 12, 0, 0, TimeSpan.Zero);
        var withIds = Enumerable.Range(0, 1200).Select(i => new HistoryEntry(start.AddMilliseconds(i), HistoryKind.Message, "cat", $"line {i}", MessageId: $"id-{i}"));
        var withoutIds = Enumerable.Range(0, 3).Select(i => new HistoryEntry(start.AddSeconds(2 + i), HistoryKind.Notice, null, $"notice {i}"));
        await store.AppendHistoryAsync([.. withIds, .. withoutIds], CancellationToken.None);
        string[] redacted = [.. Enumerable.Range(0, 600).Select(i => $"id-{i * 2}"), "id-never-stored", "id-0"];

        var deleted = await store.DeleteHistoryAsync(redacted, CancellationToken.None);

        Assert.Equal(600, deleted);
        var kept = await store.ReadHistoryAsync(before: null, limit: 2000, search: null, room: null, CancellationToken.None);
        string[] expected = [.. Enumerable.Range(0, 600).Select(i => $"line {(i * 2) + 1}"), .. Enumerable.Range(0, 3).Select(i => $"notice {i}")];
        Assert.Equal(expected.Reverse(), kept.Select(e => e.Text));
        Assert.Equal(0, await store.DeleteHistoryAsync(redacted, CancellationToken.None)); // gone already: no error
        Assert.Equal(0, await store.DeleteHistoryAsync([], CancellationToken.None));
    }

    /// <summary>
    /// A server started on a database made with the schema from before message ids: its line is kept with none, and
    /// the migrated history stores ids and deletes by them.
    /// </summary>
    private protected static async Task AssertMigratedFromBeforeMessageIdsAsync(string[] storage, string lineFromBefore)
    {
        await using var server = await ChatServer.StartAsync(storage);
        var store = server.Services.GetRequiredService<IChatStore>();

        var old = Assert.Single(await store.ReadHistoryAsync(before: null, limit: 10, search: lineFromBefore, room: null, CancellationToken.None));
        Assert.Equal(("alice", (string?)null), (old.Nick, old.MessageId));
        await store.AppendHistoryAsync([new(DateTimeOffset.UtcNow, HistoryKind.Message, "bob", "said with an id", MessageId: "after-migration")], CancellationToken.None);
        var latest = await store.ReadHistoryAsync(before: null, limit: 1, search: null, room: null, CancellationToken.None);
        Assert.Equal("after-migration", Assert.Single(latest).MessageId);
        Assert.Equal(1, await store.DeleteHistoryAsync(["after-migration"], CancellationToken.None));
        Assert.Equal([lineFromBefore], (await store.ReadHistoryAsync(before: null, limit: 10, search: null, room: null, CancellationToken.None)).Select(e => e.Text));
    }

    [Fact]
    public async Task BatchOfSeveralHundredLinesIsStoredWholeAndInOrder()
    {
        // More lines than one multi-row INSERT takes, and a part-filled one at the end.
        await using var server = await ChatServer.StartAsync(await StorageAsync());
        var store = server.Services.GetRequiredService<IChatStore>();
        var start = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var kinds = Enum.GetValues<HistoryKind>();
        var given = Enumerable.Range(0, 333)
            .Select(i => new HistoryEntry(start.AddMilliseconds(i), kinds[i % kinds.Length], i % 5 == 0 ? null : $"nick{i}", $"line {i} «{new string('é', i % 40)}»"))
            .ToArray();

        await store.AppendHistoryAsync(given, CancellationToken.None);

        var stored = await store.ReadHistoryAsync(before: null, limit: 1000, search: null, room: null, CancellationToken.None);
        Assert.Equal(given.Reverse(), stored.Select(e => e with { Time = e.Time.ToUniversalTime() }));
    }

    [Fact]
    public async Task LineLongerThanTheHistoryColumnIsStoredCutAndDoesNotHoldUpTheLinesAfterIt()
    {
        // --max-line-bytes allows lines up to 1 MiB; the history keeps the first 8192 characters of one.
        await using var server = await ChatServer.StartAsync([.. await StorageAsync(), "--max-line-bytes", "20000", "--flood-burst", "0"]);
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        var metrics = server.Services.GetRequiredService<ChatMetrics>();
        var huge = new string('m', 10_000);

        await alice.SendAsync(huge);
        await alice.SendAsync("after the long one");
        await bob.WaitForLineAsync("<alice> after the long one");

        await server.WaitUntilHistoryStoredAsync(6);
        var store = server.Services.GetRequiredService<IChatStore>();
        var stored = await store.ReadHistoryAsync(before: null, limit: 2, search: null, room: null, CancellationToken.None);
        Assert.Equal("after the long one", stored[0].Text);
        Assert.Equal(huge[..8192], stored[1].Text);
        Assert.Equal(0, metrics.HistoryWriteFailures);
    }

    [Fact]
    public async Task HistoryPagesThroughLinesSharingOneTimeWithNoGapsAndNoRepeats()
    {
        await using var server = await ChatServer.StartAsync(await StorageAsync());
        var store = server.Services.GetRequiredService<IChatStore>();

        // A burst: 137 lines at one instant (odd ticks, finer than SQLite keeps), between a few earlier and later ones.
        var burst = DateTimeOffset.UtcNow.AddMinutes(-5).AddTicks(3);
        var earlier = Enumerable.Range(0, 4).Select(i => new HistoryEntry(burst.AddSeconds(-1), HistoryKind.Message, "cat", $"earlier {i}"));
        var same = Enumerable.Range(0, 137).Select(i => new HistoryEntry(burst, HistoryKind.Message, "cat", $"burst {i}"));
        var later = Enumerable.Range(0, 3).Select(i => new HistoryEntry(burst.AddSeconds(1), HistoryKind.Message, "cat", $"later {i}"));
        await store.AppendHistoryAsync([.. earlier, .. same, .. later], CancellationToken.None);
        using var admin = server.CreateHttpClient(admin: true);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var query = "api/history?limit=10" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = JsonDocument.Parse(await admin.GetStringAsync(query)).RootElement;
            seen.AddRange(page.GetProperty("lines").EnumerateArray().Select(line => line.GetProperty("text").GetString()!));
            cursor = page.GetProperty("next").GetString();
            Assert.True(++pages <= 20, "paging did not end");
        }
        while (cursor is not null);

        // Stored in one batch, so within one time the ids follow the order above; newest first reverses it.
        string[] expected =
        [
            .. Enumerable.Range(0, 3).Reverse().Select(i => $"later {i}"),
            .. Enumerable.Range(0, 137).Reverse().Select(i => $"burst {i}"),
            .. Enumerable.Range(0, 4).Reverse().Select(i => $"earlier {i}"),
        ];
        Assert.Equal(expected, seen);
        Assert.Equal(15, pages); // 144 lines in pages of 10; no empty page at the end.
    }

    [Fact]
    public async Task BeforeATimeStillGivesTheLinesOlderThanIt()
    {
        await using var server = await ChatServer.StartAsync(await StorageAsync());
        var store = server.Services.GetRequiredService<IChatStore>();
        var noon = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        await store.AppendHistoryAsync(
            [.. Enumerable.Range(0, 6).Select(i => new HistoryEntry(noon.AddMinutes(i - 3), HistoryKind.Message, "cat", $"minute {i - 3}"))],
            CancellationToken.None);
        using var admin = server.CreateHttpClient(admin: true);

        // Written the way a person would, with an offset: 13:00+01:00 is noon UTC.
        var page = JsonDocument.Parse(await admin.GetStringAsync("api/history?limit=2&before=" + Uri.EscapeDataString("2026-11-25T13:00:00+01:00"))).RootElement;

        Assert.Equal(["minute -1", "minute -2"], page.GetProperty("lines").EnumerateArray().Select(line => line.GetProperty("text").GetString()));
        var rest = JsonDocument.Parse(await admin.GetStringAsync("api/history?cursor=" + page.GetProperty("next").GetString())).RootElement;
        Assert.Equal(["minute -3"], rest.GetProperty("lines").EnumerateArray().Select(line => line.GetProperty("text").GetString()));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task PruningDropsHistoryPastItsAgeAndBeyondTheRowCap()
    {
        await using var server = await ChatServer.StartAsync(await StorageAsync());
        var store = server.Services.GetRequiredService<IChatStore>();
        var now = DateTimeOffset.UtcNow;
        var old = Enumerable.Range(0, 4).Select(i => new HistoryEntry(now.AddDays(-200).AddMinutes(i), HistoryKind.Message, "old", $"old {i}"));
        var recent = Enumerable.Range(0, 6).Select(i => new HistoryEntry(now.AddMinutes(-10 + i), HistoryKind.Message, "new", $"new {i}"));
        await store.AppendHistoryAsync([.. old, .. recent], CancellationToken.None);

        var pruned = await store.PruneHistoryAsync(now.AddDays(-90), keepRows: 3, CancellationToken.None);

        var kept = await store.ReadHistoryAsync(before: null, limit: 100, search: null, room: null, CancellationToken.None);
        Assert.Equal(["new 5", "new 4", "new 3"], kept.Where(e => e.Nick is "old" or "new").Select(e => e.Text));
        Assert.True(pruned >= 7, $"pruned {pruned}");
    }
}
