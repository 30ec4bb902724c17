using Microsoft.EntityFrameworkCore;

namespace CatChat.Persistence;

/// <summary>
/// SQLite in write-ahead mode, as EF Core creates a new database. A database it did not create (a restored
/// <c>VACUUM INTO</c> or <c>.backup</c> copy, which come out with a rollback journal) is switched at start-up, so a
/// history batch never creates, syncs and deletes a journal file. The mode is kept in the file: once is enough.
/// <c>synchronous</c> stays at its default (FULL): a committed batch survives a power cut.
/// </summary>
internal static class SqliteTuning
{
    public static Task EnableWriteAheadLog(DbContext db) => db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
}
