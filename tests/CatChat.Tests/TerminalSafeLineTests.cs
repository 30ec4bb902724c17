using CatChat.Hosting;

namespace CatChat.Tests;

public sealed class TerminalSafeLineTests
{
    [Fact]
    public void ControlCharactersAreShownEscaped() =>
        Assert.Equal("bad \\u001B[2J\\u0007 value", TerminalSafeLine.Of("bad \u001b[2J\u0007 value"));

    [Fact]
    public void ALongMessageIsCutAndSaysSo()
    {
        var line = TerminalSafeLine.Of(new string('x', 10_000));

        Assert.Equal(TerminalSafeLine.MaxLength + "… (cut)".Length, line.Length);
        Assert.EndsWith("… (cut)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOrdinaryMessageIsUnchanged() =>
        Assert.Equal("invalid setting --chat-port (ChatPort): \"abc\" is not a whole number", TerminalSafeLine.Of("invalid setting --chat-port (ChatPort): \"abc\" is not a whole number"));
}
