using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CatChat.Chat;
using CatChat.Persistence;
using CatChat.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.IntegrationTests;

/// <summary>The persistence suite on SQLite, plus what only SQLite has: a file to take away and to back up.</summary>
public sealed class SqlitePersistenceTests : PersistenceSuite, IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("catchat-persist-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    protected override Task<string[]> StorageAsync() => Task.FromResult(new[] { "--data-dir", _dataDirectory });

    [Fact]
    public async Task ADatabaseFromBeforeRoomsIsMigratedAndItsLinesAreTheDefaultRooms()
    {
        // The schema of the main branch before rooms: its one migration, and a line stored the way it stored one.
        var file = Path.Combine(_dataDirectory, "catchat.db");
        var options = new DbContextOptionsBuilder<SqliteCatChatDbContext>().UseSqlite($"Data Source={file};Pooling=False").Options;
        await using (var old = new SqliteCatChatDbContext(options))
        {
            await old.Database.GetService<IMigrator>().MigrateAsync("20261125080519_InitialSchema");
            await old.Database.ExecuteSqlRawAsync(
                "INSERT INTO history (Time, Kind, Nick, Text) VALUES ({0}, 'message', 'alice', 'said before rooms')",
                SqliteHistoryInsert.StoredTime(DateTimeOffset.UtcNow));
        }

        await using var server = await ChatServer.StartAsync("--data-dir", _dataDirectory);
        await using var bob = await server.ConnectAsync("bob");

        Assert.Contains(bob.Seen, line => line.EndsWith("] <alice> said before rooms", StringComparison.Ordinal)); // The login replay.
        using var admin = server.CreateHttpClient(admin: true);
        var lobby = JsonDocument.Parse(await admin.GetStringAsync("api/history?room=%23lobby")).RootElement.GetProperty("lines");
        Assert.Contains("said before rooms", lobby.EnumerateArray().Select(line => line.GetProperty("text").GetString()));
        var cats = JsonDocument.Parse(await admin.GetStringAsync("api/history?room=%23cats")).RootElement.GetProperty("lines");
        Assert.Empty(cats.EnumerateArray());
    }

    [Fact]
    public async Task ADatabaseFromBeforeMessageIdsIsMigratedAndItsLinesHaveNone()
    {
        // The schema before message ids: the migrations up to rooms, and a line stored the way that schema stored one.
        var file = Path.Combine(_dataDirectory, "catchat.db");
        var options = new DbContextOptionsBuilder<SqliteCatChatDbContext>().UseSqlite($"Data Source={file};Pooling=False").Options;
        await using (var old = new SqliteCatChatDbContext(options))
        {
            await old.Database.GetService<IMigrator>().MigrateAsync("20261204174040_RoomHistory");
            await old.Database.ExecuteSqlRawAsync(
                "INSERT INTO history (Time, Kind, Nick, Text, Room) VALUES ({0}, 'message', 'alice', 'said before ids', NULL)",
                SqliteHistoryInsert.StoredTime(DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        await AssertMigratedFromBeforeMessageIdsAsync(["--data-dir", _dataDirectory], "said before ids");
    }

    [Fact]
    public async Task ADatabaseWithARollbackJournalIsSwitchedToWriteAheadAtStartUp()
    {
        var database = Path.Combine(_dataDirectory, "catchat.db");
        await using (await ChatServer.StartAsync("--data-dir", _dataDirectory))
        {
        }

        // What a restored VACUUM INTO or .backup copy looks like: EF Core created the file in WAL mode, the copy is not.
        var (exitCode, output) = await Tool.RunAsync("sqlite3", [database, "PRAGMA journal_mode=DELETE;"]);
        Assert.True(exitCode == 0 && output.Trim() == "delete", output);

        await using var server = await ChatServer.StartAsync("--data-dir", _dataDirectory);
        await using var alice = await server.ConnectAsync("alice");
        await alice.SendAsync("kept");
        await server.WaitUntilHistoryStoredAsync(1);

        // journal_mode is kept in the file itself: another process reads it back.
        (exitCode, output) = await Tool.RunAsync("sqlite3", [database, "PRAGMA journal_mode;"]);
        Assert.True(exitCode == 0, output);
        Assert.Equal("wal", output.Trim());
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

            // The writer logs its first failed write, and the first line the full queue drops.
            await server.Log.WaitForAsync(nameof(PersistenceLog.HistoryWriteFailed));
            await server.Log.WaitForAsync(nameof(PersistenceLog.HistoryLinesDropped));
            Assert.True(metrics.HistoryLinesDropped > 0 && metrics.HistoryWriteFailures > 0);
        }
        finally
        {
            File.Delete(database); // the empty file SQLite made meanwhile
            File.Move(hidden, database);
        }

        var written = metrics.HistoryLinesWritten;
        await alice.SendAsync("after the outage");
        await bob.WaitForLineAsync("<alice> after the outage");

        // Writes resuming is logged, but the held batch may have been stored before `written` was read; a later batch
        // is not announced: look at the counter.
        await Eventually.TrueAsync(() => metrics.HistoryLinesWritten > written, "a history line stored after the outage");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/banner", new { banner = "back" })).StatusCode);
        await using var carol = await server.ConnectAsync();
        Assert.Equal("back", carol.Seen[0]);
    }

    [Fact]
    public async Task HealthNamesTheDatabaseWhileItIsGoneButLivenessAndTheChatStayUp()
    {
        await using var server = await ChatServer.StartAsync("--data-dir", _dataDirectory);
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        using var client = server.CreateHttpClient();
        var metrics = server.Services.GetRequiredService<ChatMetrics>();
        var database = Path.Combine(_dataDirectory, "catchat.db");
        var hidden = database + ".away";

        File.Move(database, hidden);
        try
        {
            await alice.SendAsync("while the database is gone");
            await bob.WaitForLineAsync("<alice> while the database is gone");
            await server.Log.WaitForAsync(nameof(PersistenceLog.HistoryWriteFailed));
            Assert.True(metrics.HistoryWriteFailures > 0);

            var (status, health) = await HealthAsync(server);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("degraded", health.GetProperty("status").GetString());
            Assert.Equal("degraded", CheckStatus(health, "database"));
            Assert.Contains("no such table", health.GetProperty("checks").GetProperty("database").GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal("degraded", CheckStatus(health, "historyWriter"));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("healthz/live")).StatusCode);
            await bob.SendAsync("the chat goes on");
            await alice.WaitForLineAsync("<bob> the chat goes on");
        }
        finally
        {
            File.Delete(database); // the empty file SQLite made meanwhile
            File.Move(hidden, database);
        }

        // The writer stores its held batch at its next retry and logs that writes resumed; then every check is healthy
        // again (SQLite connections are not pooled: the database check opens the file that is back).
        await server.Log.WaitForAsync(nameof(PersistenceLog.HistoryWritesResumed));
        var (statusAfter, healthAfter) = await HealthAsync(server);
        Assert.True(statusAfter == HttpStatusCode.OK, healthAfter.ToString());
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
            await live.WaitUntilHistoryStoredAsync(5);

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

            var replayed = await carol.WaitForReplayAsync();

            Assert.Equal("Backed up banner", carol.Seen[0]);
            Assert.Contains(replayed, line => line.EndsWith("] <alice> worth keeping", StringComparison.Ordinal));
            Assert.DoesNotContain(replayed, line => line.Contains("after the backup", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(restored, recursive: true);
        }
    }
}
