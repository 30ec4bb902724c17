using CatChat.Chat;

namespace CatChat.Tests;

public sealed class BannerTextTests
{
    [Fact]
    public void LinesSplitOnLineFeedsWithTheirCarriageReturnsDropped()
    {
        var banner = BannerText.TryParse("Welcome\r\nto CatChat\n\nBe kind", out var error);

        Assert.Null(error);
        Assert.Equal(["Welcome", "to CatChat", "", "Be kind"], banner!.Lines);
        Assert.Equal("Welcome\nto CatChat\n\nBe kind", banner.ToString());
    }

    [Fact]
    public void EscapeSequencesAndControlCharactersAreRemovedFromEveryLine()
    {
        var banner = BannerText.Parse("\u001b[2JHello\u0007\n\u009b31mworld\u202e");

        Assert.Equal(["Hello", "world"], banner.Lines);
        Assert.Equal("Hello\r\n"u8.ToArray(), banner.Encoded[0]);
    }

    [Fact]
    public void TrailingBlankLinesAreDropped()
    {
        Assert.Equal(["Hi"], BannerText.Parse("Hi\n\n  \n").Lines);
    }

    [Fact]
    public void ABannerOverItsByteLimitIsRefusedWithAReason()
    {
        Assert.Null(BannerText.TryParse(new string('x', BannerText.MaxBytes + 1), out var error));
        Assert.Equal($"The banner is longer than {BannerText.MaxBytes} bytes.", error);
    }

    [Fact]
    public void ABannerOfTooManyLinesIsRefusedWithAReason()
    {
        Assert.Null(BannerText.TryParse(string.Join('\n', Enumerable.Repeat("x", BannerText.MaxLines + 1)), out var error));
        Assert.Contains("more than", error);
    }

    [Fact]
    public void NoTextIsRefused()
    {
        Assert.Null(BannerText.TryParse(null, out var error));
        Assert.NotNull(error);
    }
}
