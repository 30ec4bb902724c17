using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CatChat.Chat;
using CatChat.Persistence;
using CatChat.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.IntegrationTests;

/// <summary>The persistence rules again, on a real PostgreSQL that the tests start and stop themselves.</summary>
public sealed class PostgresPersistenceTests(PostgresServer postgres) : PersistenceSuite, IClassFixture<PostgresServer>
{
    protected override async Task<string[]> StorageAsync() => ["--database", await postgres.CreateDatabaseAsync()];

    [Fact]
    public async Task ADatabaseFromBeforeMessageIdsIsMigratedAndItsLinesHaveNone()
    {
        // The schema before message ids: the migrations up to rooms, and a line stored the way that schema stored one.
        var database = await postgres.CreateDatabaseAsync();
        var options = new DbContextOptionsBuilder<PostgresCatChatDbContext>().UseNpgsql(database).Options;
        await using (var old = new PostgresCatChatDbContext(options))
        {
            await old.Database.GetService<IMigrator>().MigrateAsync("20261204174045_RoomHistory");
            await old.Database.ExecuteSqlRawAsync(
                "INSERT INTO history (\"Time\", \"Kind\", \"Nick\", \"Text\", \"Room\") VALUES ({0}, 'message', 'alice', 'said before ids', NULL)",
                DateTimeOffset.UtcNow.AddMinutes(-1));
        }

        await AssertMigratedFromBeforeMessageIdsAsync(["--database", database], "said before ids");
    }

    [Fact]
    public async Task ChatGoesOnWhilePostgresIsStoppedAndWritesResumeAfter()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var server = await ChatServer.StartAsync("--database", database, "--history-queue", "5");
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        using var admin = server.CreateHttpClient(admin: true);
        var metrics = server.Services.GetRequiredService<ChatMetrics>();

        await postgres.StopAsync();
        try
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await admin.PostAsJsonAsync("api/banner", new { banner = "refused" })).StatusCode);
            for (var i = 0; i < 20; i++)
            {
                await alice.SendAsync($"while postgres is down {i}");
            }

            await bob.WaitForLineAsync("<alice> while postgres is down 19");

            // The writer logs its first failed write, and the first line the full queue drops.
            await server.Log.WaitForAsync(nameof(PersistenceLog.HistoryWriteFailed));
            await server.Log.WaitForAsync(nameof(PersistenceLog.HistoryLinesDropped));
            Assert.True(metrics.HistoryLinesDropped > 0 && metrics.HistoryWriteFailures > 0);
        }
        finally
        {
            await postgres.StartAsync();
        }

        var written = metrics.HistoryLinesWritten;
        await alice.SendAsync("postgres is back");
        await bob.WaitForLineAsync("<alice> postgres is back");

        // Writes resuming is logged, but the held batch may have been stored before `written` was read; a later batch
        // is not announced: look at the counter.
        await Eventually.TrueAsync(() => metrics.HistoryLinesWritten > written, "a history line stored after the restart");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/banner", new { banner = "accepted" })).StatusCode);
    }

    [Fact]
    public async Task HealthNamesTheDatabaseWhilePostgresIsStopped()
    {
        await using var server = await ChatServer.StartAsync("--database", await postgres.CreateDatabaseAsync());
        using var client = server.CreateHttpClient();

        await postgres.StopAsync();
        try
        {
            var (status, health) = await HealthAsync(server);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("degraded", health.GetProperty("status").GetString());
            Assert.Equal("degraded", CheckStatus(health, "database"));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("healthz/live")).StatusCode);
        }
        finally
        {
            await postgres.StartAsync();
        }

        // Nothing announces that the database answers again (no history is waiting to be written): ask /healthz until it says so.
        await Eventually.TrueAsync(async () => (await HealthAsync(server)).Status == HttpStatusCode.OK, "/healthz OK once PostgreSQL is back");
    }

    [Fact]
    public async Task HealthAnswersWithinItsTimeoutWhilePostgresHangsAndTheChatGoesOn()
    {
        await using var server = await ChatServer.StartAsync("--database", await postgres.CreateDatabaseAsync());
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        postgres.Freeze();
        try
        {
            var clock = Stopwatch.StartNew();
            var (status, health) = await HealthAsync(server);
            var took = clock.Elapsed;

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("degraded", CheckStatus(health, "database"));
            Assert.Contains("timeout", health.GetProperty("checks").GetProperty("database").GetProperty("description").GetString(), StringComparison.OrdinalIgnoreCase);
            Assert.True(took < TimeSpan.FromSeconds(4), $"/healthz took {took}");
            await alice.SendAsync("while postgres hangs");
            await bob.WaitForLineAsync("<alice> while postgres hangs");
        }
        finally
        {
            postgres.Thaw();
        }

        // Nothing announces that the database answers again: ask /healthz until it says so.
        await Eventually.TrueAsync(async () => (await HealthAsync(server)).Status == HttpStatusCode.OK, "/healthz OK once PostgreSQL is thawed");
    }
}
