using CatChat.Chat;

namespace CatChat.Tests;

public class HistoryCursorTests
{
    [Theory]
    [InlineData(0L, 1L)]
    [InlineData(639_000_000_000_000_003L, 42L)]
    [InlineData(3_155_378_975_999_999_999L, long.MaxValue)]
    public void EncodedCursorReadsBackAsTheSamePlace(long ticks, long id)
    {
        var cursor = new HistoryCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);

        var text = cursor.Encode();

        Assert.Matches("^[A-Za-z0-9_-]{22}$", text);
        Assert.True(HistoryCursor.TryParse(text, out var back));
        Assert.Equal(cursor, back);
    }

    [Fact]
    public void WireFormatIsBigEndianTicksThenId()
    {
        // Cursors handed out before an upgrade must still read the same afterwards.
        Assert.True(HistoryCursor.TryParse("CN9K66Gq4AAAAAAAAAAAAQ", out var cursor));

        Assert.Equal(new HistoryCursor(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), 1), cursor);
    }

    [Fact]
    public void CursorIsTheSameInstantWhateverTheOffset()
    {
        var utc = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(new HistoryCursor(utc, 7).Encode(), new HistoryCursor(utc.ToOffset(TimeSpan.FromHours(-5)), 7).Encode());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")] // line id 0: ids start at 1
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAA")] // 18 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAAA=")] // padding is not base64url
    [InlineData("AAAAAAAAAAAAAAAAAAAA+/")] // base64, not base64url
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("__________8AAAAAAAAAAQ")] // ticks -1: before the first representable time
    [InlineData("AAAAAAAAAAD_________w")] // 21 characters
    [InlineData("AAAAAAAAAAAAAAAAAAAAAB")] // the last character's unused bits are not zero
    [InlineData("CN9K66Gq4AAAAAAAAAAAAR")] // a cursor handed out, its last character changed in the unused bits
    public void AnythingButAnEncodedCursorIsRefused(string? text)
    {
        Assert.False(HistoryCursor.TryParse(text, out _));
    }

    [Fact]
    public void BeforeATimeIncludesEveryLineStoredBeforeIt()
    {
        var noon = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        var cursor = HistoryCursor.Before(noon);

        Assert.Equal(noon, cursor.Time);
        Assert.True(cursor.Id < 1);
    }
}
