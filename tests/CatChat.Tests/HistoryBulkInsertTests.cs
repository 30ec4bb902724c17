using CatChat.Chat;
using CatChat.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CatChat.Tests;

public class HistoryBulkInsertTests
{
    [Theory]
    [InlineData("short", 8, "short")]
    [InlineData("exactly8", 8, "exactly8")]
    [InlineData("ninechars", 8, "ninechar")]
    [InlineData("abc\U0001F431def", 4, "abc")] // the cat emoji is two UTF-16 units: never half of it
    [InlineData("abc\U0001F431def", 5, "abc\U0001F431")]
    [InlineData("anything", null, "anything")]
    public void TextIsCutToItsColumnWithoutSplittingACharacter(string text, int? maxLength, string stored)
    {
        Assert.Equal(stored, HistoryBulkInsert.Cut(text, maxLength));
        Assert.Equal(stored.Length, HistoryBulkInsert.CutLength(text, maxLength));
    }

    [Theory]
    [InlineData("2026-11-25T12:00:00.1234567+00:00")]
    [InlineData("2026-11-25T12:00:00.1234567+02:00")]
    [InlineData("2026-11-25T12:00:00.9999999-09:30")]
    [InlineData("1970-01-01T00:00:00+00:00")]
    [InlineData("0001-01-02T00:00:00+00:00")]
    [InlineData("9999-12-30T23:59:59.9999999+00:00")]
    public void SqliteTimeIsWhatTheSqliteModelsConverterStores(string time)
    {
        var given = DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture);
        using var db = new SqliteCatChatDbContext(new DbContextOptionsBuilder<SqliteCatChatDbContext>().UseSqlite("Data Source=:memory:").Options);
        var converter = db.Model.FindEntityType(typeof(HistoryRow))!.FindProperty(nameof(HistoryRow.Time))!.GetTypeMapping().Converter!;

        Assert.Equal(converter.ConvertToProvider(given.ToUniversalTime()), SqliteHistoryInsert.StoredTime(given));
    }

    [Fact]
    public void EveryKindIsStoredAsItsNameInLowerCase()
    {
        foreach (var kind in Enum.GetValues<HistoryKind>())
        {
            Assert.Equal(kind.ToString().ToLowerInvariant(), HistoryBulkInsert.Kind(kind));
        }
    }
}
