using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CatChat.Chat;
using CatChat.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.IntegrationTests;

public sealed class PersistenceTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("catchat-persist-").FullName;

    [Fact]
    public async Task BannerAndHistorySurviveARestart()
    {
        await using (var first = await ChatServer.StartAsync("--data-dir", _dataDirectory))
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
        await using var second = await ChatServer.StartAsync("--data-dir", _dataDirectory);
        await using var carol = await second.ConnectAsync();

        Assert.Equal("Stored banner", carol.Seen[0]);
        await carol.WaitForSeenAsync(carol.Seen.First(line => line.StartsWith("*** Last ", StringComparison.Ordinal)));
        Assert.Contains(carol.Seen, line => line.EndsWith("] <alice> remember me", StringComparison.Ordinal));
        Assert.Contains(carol.Seen, line => line.EndsWith("] * alice waves", StringComparison.Ordinal));

        using var client = second.CreateHttpClient(admin: true);
        var page = JsonDocument.Parse(await client.GetStringAsync("api/history?limit=50&search=remember")).RootElement;
        var line = Assert.Single(page.GetProperty("lines").EnumerateArray().ToList());
        Assert.Equal("alice", line.GetProperty("nick").GetString());
        Assert.Equal("message", line.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task HistoryCommandShowsStoredLines()
    {
        await using var server = await ChatServer.StartAsync("--history-replay", "0");
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.SendAsync("first words");
        await bob.WaitForLineAsync("<alice> first words");
        var metrics = server.Services.GetRequiredService<ChatMetrics>();
        // Two joins, two renames and the message: all five stored.
        await Eventually.TrueAsync(() => metrics.HistoryLinesWritten >= 5);

        await bob.SendAsync("/history 5");

        await bob.WaitForLineAsync(line => line.EndsWith("] <alice> first words", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChatGoesOnWhileTheDatabaseIsGoneAndWritesResumeAfter()
    {
        await using var server = await ChatServer.StartAsync("--data-dir", _dataDirectory, "--history-queue", "5");
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        using var admin = server.CreateHttpClient(admin: true);
        var metrics = server.Services.GetRequiredService<ChatMetrics>();
        var database = Path.Combine(_dataDirectory, "catchat.db");
        var hidden = database + ".away";

        File.Move(database, hidden);
        try
        {
            var refused = await admin.PostAsJsonAsync("api/banner", new { banner = "not while the database is gone" });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            for (var i = 0; i < 20; i++)
            {
                await alice.SendAsync($"during the outage {i}");
            }

            await bob.WaitForLineAsync("<alice> during the outage 19");
            await Eventually.TrueAsync(() => metrics.HistoryLinesDropped > 0 && metrics.HistoryWriteFailures > 0);
        }
        finally
        {
            File.Delete(database); // the empty file SQLite made meanwhile
            File.Move(hidden, database);
        }

        var written = metrics.HistoryLinesWritten;
        await alice.SendAsync("after the outage");
        await bob.WaitForLineAsync("<alice> after the outage");
        await Eventually.TrueAsync(() => metrics.HistoryLinesWritten > written);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/banner", new { banner = "back" })).StatusCode);
        await using var carol = await server.ConnectAsync();
        Assert.Equal("back", carol.Seen[0]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PrivateMessagesAreStoredOnlyWhenConfigured(bool storePrivate)
    {
        await using var server = await ChatServer.StartAsync("--history-private", storePrivate ? "true" : "false");
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.SendAsync("/msg bob the secret");
        await alice.SendAsync("public marker");
        await bob.WaitForLineAsync("<alice> public marker");
        var metrics = server.Services.GetRequiredService<ChatMetrics>();
        await Eventually.TrueAsync(() => metrics.HistoryLinesWritten >= (storePrivate ? 6 : 5));
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
    public async Task PruningDropsHistoryPastItsAgeAndBeyondTheRowCap()
    {
        await using var server = await ChatServer.StartAsync();
        var store = server.Services.GetRequiredService<IChatStore>();
        var now = DateTimeOffset.UtcNow;
        var old = Enumerable.Range(0, 4).Select(i => new HistoryEntry(now.AddDays(-200).AddMinutes(i), HistoryKind.Message, "old", $"old {i}"));
        var recent = Enumerable.Range(0, 6).Select(i => new HistoryEntry(now.AddMinutes(-10 + i), HistoryKind.Message, "new", $"new {i}"));
        await store.AppendHistoryAsync([.. old, .. recent], CancellationToken.None);

        var pruned = await store.PruneHistoryAsync(now.AddDays(-90), keepRows: 3, CancellationToken.None);

        var kept = await store.ReadHistoryAsync(before: null, limit: 100, search: null, CancellationToken.None);
        Assert.Equal(["new 5", "new 4", "new 3"], kept.Where(e => e.Nick is "old" or "new").Select(e => e.Text));
        Assert.True(pruned >= 7, $"pruned {pruned}");
    }

    [Fact]
    public async Task OnlineBackupTakenWhileChattingRestoresBannerAndHistory()
    {
        var backup = Path.Combine(_dataDirectory, "backup.db");
        await using (var live = await ChatServer.StartAsync("--data-dir", _dataDirectory))
        {
            using var admin = live.CreateHttpClient(admin: true);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/banner", new { banner = "Backed up banner" })).StatusCode);
            await using var alice = await live.ConnectAsync("alice");
            await using var bob = await live.ConnectAsync("bob");
            await alice.SendAsync("worth keeping");
            await bob.WaitForLineAsync("<alice> worth keeping");
            var metrics = live.Services.GetRequiredService<ChatMetrics>();
            await Eventually.TrueAsync(() => metrics.HistoryLinesWritten >= 5);

            // The runbook's command: SQLite's own consistent copy of a database in use, not a file copy.
            var (exitCode, output) = await Tool.RunAsync("sqlite3", [Path.Combine(_dataDirectory, "catchat.db"), $"VACUUM INTO '{backup}'"]);
            Assert.True(exitCode == 0, output);
            await alice.SendAsync("after the backup");
            await bob.WaitForLineAsync("<alice> after the backup");
        }

        var restored = Directory.CreateTempSubdirectory("catchat-restore-").FullName;
        File.Copy(backup, Path.Combine(restored, "catchat.db"));
        try
        {
            await using var server = await ChatServer.StartAsync("--data-dir", restored);
            await using var carol = await server.ConnectAsync();

            Assert.Equal("Backed up banner", carol.Seen[0]);
            Assert.Contains(carol.Seen, line => line.EndsWith("] <alice> worth keeping", StringComparison.Ordinal));
            Assert.DoesNotContain(carol.Seen, line => line.Contains("after the backup", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(restored, recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);
}
