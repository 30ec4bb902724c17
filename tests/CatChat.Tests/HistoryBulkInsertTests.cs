using CatChat.Persistence;

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
    }
}
