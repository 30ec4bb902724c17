using Microsoft.EntityFrameworkCore;

namespace CatChat.Persistence;

/// <summary>
/// The schema, shared by both providers. Each provider has its own subclass only so that each keeps
/// its own migrations (SQLite and PostgreSQL differ in types and SQL).
/// </summary>
public abstract class CatChatDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<SettingRow> Settings => Set<SettingRow>();
    public DbSet<HistoryRow> History => Set<HistoryRow>();
    public DbSet<AuditRow> Audit => Set<AuditRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SettingRow>(setting =>
        {
            setting.ToTable("settings");
            setting.HasKey(s => s.Key);
            setting.Property(s => s.Key).HasMaxLength(100);
            setting.Property(s => s.Value).HasMaxLength(65536);
        });

        modelBuilder.Entity<HistoryRow>(history =>
        {
            history.ToTable("history");
            history.HasKey(h => h.Id);
            history.Property(h => h.Kind).HasMaxLength(16);
            history.Property(h => h.Nick).HasMaxLength(64);
            history.Property(h => h.Text).HasMaxLength(8192);
            history.HasIndex(h => h.Time);
            history.Property(h => h.Room).HasMaxLength(33);
            history.HasIndex(h => new { h.Room, h.Time });
            history.Property(h => h.MessageId).HasMaxLength(64);
            history.HasIndex(h => h.MessageId);
        });

        modelBuilder.Entity<AuditRow>(audit =>
        {
            audit.ToTable("audit");
            audit.HasKey(a => a.Id);
            audit.Property(a => a.Actor).HasMaxLength(200);
            audit.Property(a => a.Action).HasMaxLength(50);
            audit.Property(a => a.Detail).HasMaxLength(8192);
            audit.HasIndex(a => a.Time);
        });
    }
}

/// <summary>The embedded default: a SQLite file in the data directory.</summary>
public sealed class SqliteCatChatDbContext(DbContextOptions<SqliteCatChatDbContext> options) : CatChatDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // SQLite cannot order or compare DateTimeOffset columns; store UTC ticks instead.
        var ticks = new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter();
        modelBuilder.Entity<HistoryRow>().Property(h => h.Time).HasConversion(ticks);
        modelBuilder.Entity<AuditRow>().Property(a => a.Time).HasConversion(ticks);
        modelBuilder.Entity<SettingRow>().Property(s => s.UpdatedAt).HasConversion(ticks);
    }
}

/// <summary>Production: PostgreSQL, chosen by a connection string.</summary>
public sealed class PostgresCatChatDbContext(DbContextOptions<PostgresCatChatDbContext> options) : CatChatDbContext(options);
