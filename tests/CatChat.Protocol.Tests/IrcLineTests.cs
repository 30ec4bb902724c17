using System.Text;
using CatChat.Protocol.Irc;

namespace CatChat.Protocol.Tests;

public sealed class IrcLineTests
{
    [Fact]
    public void TheLastParameterIsTrailingAndMiddleOnesLoseSpacesAndLeadingColons()
    {
        Assert.Equal(":srv 353 me = #cats :@a b", IrcLine.Build("srv", "353", "me", "=", "#cats", "@a b"));
        Assert.Equal(":srv CMD a_b x :last", IrcLine.Build("srv", "CMD", "a b", ":x", "last"));
    }

    [Fact]
    public void ThePlainFormMakesTheLastParameterTrailingOnlyWhenItMust()
    {
        Assert.Equal("PING catchat", IrcLine.BuildPlain(null, "PING", "catchat"));
        Assert.Equal("CMD :two words", IrcLine.BuildPlain(null, "CMD", "two words"));
        Assert.Equal("CMD :", IrcLine.BuildPlain(null, "CMD", string.Empty));
        Assert.Equal("CMD ::x", IrcLine.BuildPlain(null, "CMD", ":x"));
    }

    [Theory]
    [InlineData("a\r\nQUIT :injected")]
    [InlineData("a\nKILL me")]
    [InlineData("a\0b")]
    public void NoParameterCanEndTheLineOrStartAnother(string injected)
    {
        var line = IrcLine.Build("srv", "PRIVMSG", injected, injected);
        Assert.DoesNotContain('\r', line);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\0', line);
    }

    [Fact]
    public void FittingCutsAtACharacterBoundaryWithinTheLimit()
    {
        var text = string.Concat(Enumerable.Repeat("é🐱", 300));
        var fitted = IrcLine.FitTrailing(text, bytesBefore: 40);
        Assert.True(Encoding.UTF8.GetByteCount(fitted) <= IrcLine.MaxBytes - 2 - 40);
        Assert.True(Encoding.UTF8.GetByteCount(fitted) > IrcLine.MaxBytes - 2 - 40 - 4);
        Assert.False(char.IsHighSurrogate(fitted[^1]));
    }
}
