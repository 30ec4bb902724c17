using CatChat.Protocol.Irc;

namespace CatChat.Protocol.Tests;

public sealed class IrcFormattingTests
{
    [Theory]
    [InlineData("\u0002bold\u0002 plain", "bold plain")]
    [InlineData("\u000304red\u0003 \u000304,12on blue\u000f", "red on blue")]
    [InlineData("\u00031,2,3", ",3")]
    [InlineData("\u000312345", "345")]
    [InlineData("\u0004FF0000hex\u0004", "hex")]
    [InlineData("\u001ditalic\u001d \u001funder\u001f \u0016rev\u0016 \u001estrike\u001e \u0011mono\u0011", "italic under rev strike mono")]
    [InlineData("\u0001ACTION waves\u0001", "ACTION waves")]
    [InlineData("no codes at all", "no codes at all")]
    [InlineData("\u0003", "")]
    public void StrippingLeavesNoCodeAndNoColourDigits(string formatted, string plain)
    {
        var stripped = IrcFormatting.Strip(formatted);
        Assert.Equal(plain, stripped);
        Assert.DoesNotContain(stripped, char.IsControl);
    }

    [Theory]
    [InlineData("\u0001ACTION waves\u0001", "waves")]
    [InlineData("\u0001ACTION waves", "waves")]
    [InlineData("\u0001ACTION\u0001", "")]
    [InlineData("\u0001VERSION\u0001", null)]
    [InlineData("\u0001ACTIONwaves\u0001", null)]
    [InlineData("ACTION waves", null)]
    public void OnlyACtcpActionIsAnAction(string text, string? action) => Assert.Equal(action, IrcFormatting.ActionOf(text));

    [Fact]
    public void SanitizingKeepsFormattingOnlyWhenAsked()
    {
        const string Text = "\u0002bold\u0002 \u001b[31mred\u001b[0m\u0007";
        Assert.Equal("bold red", TextSanitizer.Sanitize(Text));
        Assert.Equal("\u0002bold\u0002 red", TextSanitizer.Sanitize(Text, keepIrcFormatting: true));
    }
}
