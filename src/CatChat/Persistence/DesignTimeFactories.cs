using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CatChat.Persistence;

// Used only by `dotnet ef migrations add`, so migrations can be made without a running host or database.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCatChatDbContext>
{
    public SqliteCatChatDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCatChatDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCatChatDbContext>
{
    public PostgresCatChatDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCatChatDbContext>().UseNpgsql("Host=localhost;Database=catchat").Options);
}
