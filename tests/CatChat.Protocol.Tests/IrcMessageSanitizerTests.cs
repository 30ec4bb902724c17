using CatChat.Protocol.Irc;

namespace CatChat.Protocol.Tests;

public sealed class IrcMessageSanitizerTests
{
    private static IrcMessage Sanitized(string line) => IrcMessageSanitizer.Sanitize(IrcMessageParser.Parse(line)!);

    [Theory]
    [InlineData("NICK al\u0007ice", "al\uFFFDice")]
    [InlineData("NICK al\u0000ice", "al\uFFFDice")]
    [InlineData("NICK al\rice", "al\uFFFDice")]
    [InlineData("NICK \u0002alice", "\uFFFDalice")]
    [InlineData("NICK al\u202Eice", "al\uFFFDice")]
    [InlineData("NICK al\u009Bice", "al\uFFFDice")]
    [InlineData("JOIN #ctl\u001b[31mx", "#ctl\uFFFD[31mx")]
    [InlineData("JOIN #a\tb", "#a\uFFFDb")]
    public void AControlCharacterInANameBecomesTheReplacementCharacter(string line, string name)
    {
        Assert.Equal(name, Sanitized(line)[0]);
    }

    [Fact]
    public void ATargetIsANameAndTheTextIsText()
    {
        var message = Sanitized("PRIVMSG bo\u0007b,#c\u0001ats :\u0002hi\u0002\u0007 \u001b[2Jthere\u0001");
        Assert.Equal(["bo\uFFFDb,#c\uFFFDats", "\u0002hi\u0002 there\u0001"], message.Parameters);
    }

    [Theory]
    [InlineData("PART #cats :bye\u0007\u001b]0;t\u0007 now", 1, "bye now")]
    [InlineData("QUIT :gone\u0000 \u0016away\u0016", 0, "gone \u0016away\u0016")]
    [InlineData("KICK #cats bob :too\u0007 loud", 2, "too loud")]
    [InlineData("TOPIC #cats :naps\u0007\tonly", 1, "naps only")]
    [InlineData("AWAY :out\u0007", 0, "out")]
    [InlineData("USER alice 0 * :Alice\u0007 L", 3, "Alice L")]
    public void FreeTextLosesControlBytesAndKeepsFormatting(string line, int index, string text)
    {
        Assert.Equal(text, Sanitized(line)[index]);
    }

    [Fact]
    public void EveryParameterButTheFreeTextIsAName()
    {
        var message = Sanitized("KICK #c\u0007ats b\u0007ob :re\u0007ason");
        Assert.Equal(["#c\uFFFDats", "b\uFFFDob", "reason"], message.Parameters);
        Assert.Equal("#c\uFFFDats", Sanitized("TOPIC #c\u0007ats")[0]);
        Assert.Equal(["#cats", "+k", "a\uFFFDb"], Sanitized("MODE #cats +k a\u0007b").Parameters);
    }

    [Fact]
    public void ACommandWithAControlByteIsNoKnownCommand()
    {
        Assert.Equal("PRIV\uFFFDMSG", Sanitized("PRIV\u0007MSG bob :hi").Command);
    }

    [Fact]
    public void TagsKeepFormattingAndLoseOtherControlBytes()
    {
        Assert.Equal("+a=x\u0002y", Sanitized("@+a=x\u0007\u0002y PRIVMSG #cats :hi").Tags);
    }

    [Fact]
    public void AMessageWithoutControlCharactersIsTheSameMessage()
    {
        var parsed = IrcMessageParser.Parse("@+a=1 :src PRIVMSG #cats,bob :hello \u00e9t\u00e9")!;
        Assert.Same(parsed, IrcMessageSanitizer.Sanitize(parsed));
    }
}
