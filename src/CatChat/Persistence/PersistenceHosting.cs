using CatChat.Chat;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CatChat.Persistence;

/// <summary>AddCatChatPersistence(): the database (SQLite by default, PostgreSQL by connection string), the history writer and pruner.</summary>
internal static class PersistenceHosting
{
    /// <summary>How long a health request waits for the database to answer.</summary>
    public static readonly TimeSpan DatabaseCheckTimeout = TimeSpan.FromSeconds(2);

    public static WebApplicationBuilder AddCatChatPersistence(this WebApplicationBuilder builder, PersistenceOptions options, int historyReplay, TimeSpan shutdownTimeout)
    {
        var services = builder.Services;
        var createContext = ContextFactory(options, out var provider, out var where);
        services.AddSingleton(new DatabaseDescription(provider, where));
        services.AddSingleton<Func<CatChatDbContext>>(createContext);
        services.AddSingleton<IChatStore>(new EfChatStore(createContext));
        // The default room's recent lines are what a login is shown (historyReplay of them) and the lines that can be
        // redacted: at least as many as every other room keeps.
        services.AddSingleton(new RecentHistory(Math.Max(historyReplay, RoomLimits.DefaultRecentLines)));
        services.AddSingleton(s => new HistoryWriter(
            options.HistoryQueue,
            shutdownTimeout,
            s.GetRequiredService<IChatStore>(),
            s.GetRequiredService<ChatMetrics>(),
            s.GetRequiredService<TimeProvider>(),
            s.GetRequiredService<ILogger<HistoryWriter>>()));
        services.AddSingleton<IHistorySink>(s => s.GetRequiredService<HistoryWriter>());
        services.AddHostedService(s => s.GetRequiredService<HistoryWriter>());
        services.AddHostedService<HistoryPruner>();

        // Both report "degraded", not "unhealthy": the chat goes on without the database (see /healthz).
        services.AddSingleton<DatabaseHealthCheck>();
        services.AddHealthChecks()
            .Add(new HealthCheckRegistration(
                "database", s => s.GetRequiredService<DatabaseHealthCheck>(), HealthStatus.Degraded, tags: null, DatabaseCheckTimeout))
            .Add(new HealthCheckRegistration(
                "historyWriter", s => new HistoryWriterHealthCheck(s.GetRequiredService<HistoryWriter>()), HealthStatus.Degraded, tags: null));
        return builder;
    }

    /// <summary>Applies migrations and loads the stored banner and the latest history, before the chat opens.</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        var description = app.Services.GetRequiredService<DatabaseDescription>();
        var options = app.Services.GetRequiredService<PersistenceOptions>();
        var historyReplay = app.Services.GetRequiredService<IOptionsMonitor<ChatOptions>>().CurrentValue.HistoryReplay;
        try
        {
            await using (var db = app.Services.GetRequiredService<Func<CatChatDbContext>>()())
            {
                await db.Database.MigrateAsync();
                if (db.Database.IsSqlite())
                {
                    await SqliteTuning.EnableWriteAheadLog(db);
                }
            }

            var store = app.Services.GetRequiredService<IChatStore>();
            var room = app.Services.GetRequiredService<ChatRoom>();
            if (BannerText.TryParse(await store.GetSettingAsync(SettingKeys.Banner, CancellationToken.None), out _) is { } banner)
            {
                room.RestoreBanner(banner);
            }

            foreach (var (key, topic) in await store.ReadSettingsAsync(Room.TopicSettingPrefix, CancellationToken.None))
            {
                room.RestoreTopic(key[Room.TopicSettingPrefix.Length..], topic);
            }

            var recent = await store.ReadHistoryAsync(before: null, historyReplay, search: null, room: null, CancellationToken.None);
            foreach (var entry in recent.Reverse())
            {
                room.Recent.Add(entry);
            }
        }
        catch (Exception ex) when (ex is StoreUnavailableException or System.Data.Common.DbException or InvalidOperationException)
        {
            throw new DatabaseOpenException($"cannot open the database (--database, {description.Provider} at {description.Where}): {ex.GetBaseException().Message}");
        }

        PersistenceLog.Opened(app.Services.GetRequiredService<ILogger<DatabaseDescription>>(), description.Provider, description.Where);
    }

    private static Func<CatChatDbContext> ContextFactory(PersistenceOptions options, out string provider, out string where)
    {
        if (PersistenceOptions.IsSqlite(options.Database))
        {
            var connectionString = options.Database.Length > 0
                ? options.Database
                : $"Data Source={Path.GetFullPath(Path.Combine(options.DataDir, "catchat.db"))};Default Timeout=5;Pooling=False";
            var sqlite = new DbContextOptionsBuilder<SqliteCatChatDbContext>().UseSqlite(connectionString).Options;
            provider = "SQLite";
            where = connectionString;
            // Pooled: the history writer takes a context per batch, and setting up a fresh one cost measurable CPU.
            var sqlitePool = new PooledDbContextFactory<SqliteCatChatDbContext>(sqlite);
            return sqlitePool.CreateDbContext;
        }

        var npgsql = new DbContextOptionsBuilder<PostgresCatChatDbContext>()
            .UseNpgsql(options.Database)
            .Options;
        provider = "PostgreSQL";
        where = new Npgsql.NpgsqlConnectionStringBuilder(options.Database) { Password = null }.ToString();
        var postgresPool = new PooledDbContextFactory<PostgresCatChatDbContext>(npgsql);
        return postgresPool.CreateDbContext;
    }
}

/// <summary>Which database CatChat uses, for logs and errors (never with a password).</summary>
internal sealed record DatabaseDescription(string Provider, string Where);

/// <summary>The keys of run-time settings kept in the database.</summary>
internal static class SettingKeys
{
    public const string Banner = "banner";
}
