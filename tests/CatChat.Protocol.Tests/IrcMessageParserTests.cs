using CatChat.Protocol.Irc;

namespace CatChat.Protocol.Tests;

public sealed class IrcMessageParserTests
{
    [Fact]
    public void TagsSourceCommandMiddleAndTrailingParametersAreSeparated()
    {
        var message = IrcMessageParser.Parse("@time=x;+draft/reply=1 :nick!u@h privmsg #cats :hello  there :)")!;
        Assert.Equal("time=x;+draft/reply=1", message.Tags);
        Assert.Equal("nick!u@h", message.Source);
        Assert.Equal("PRIVMSG", message.Command);
        Assert.Equal(["#cats", "hello  there :)"], message.Parameters);
    }

    [Fact]
    public void RunsOfSpacesBetweenParametersCountAsOne()
    {
        var message = IrcMessageParser.Parse("USER  alice   0 *   :Alice   L")!;
        Assert.Equal(["alice", "0", "*", "Alice   L"], message.Parameters);
    }

    [Fact]
    public void AnEmptyTrailingParameterIsKept()
    {
        Assert.Equal(["#cats", string.Empty], IrcMessageParser.Parse("TOPIC #cats :")!.Parameters);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("@tags-only")]
    [InlineData(":source-only")]
    [InlineData("@a=b :source")]
    public void ALineWithoutACommandIsNoMessage(string line) => Assert.Null(IrcMessageParser.Parse(line));

    [Fact]
    public void MoreThanFifteenParametersAreJoinedIntoTheLast()
    {
        var message = IrcMessageParser.Parse("CMD " + string.Join(' ', Enumerable.Range(1, 20)))!;
        Assert.Equal(IrcMessageParser.MaxParameters, message.Count);
        Assert.Equal("15 16 17 18 19 20", message[14]);
    }
}
