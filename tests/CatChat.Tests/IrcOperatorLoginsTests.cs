using CatChat.FrontDoors.Irc;
using CatChat.Hosting;
using Microsoft.Extensions.Configuration;

namespace CatChat.Tests;

public class IrcOperatorLoginsTests
{
    private static CatChatSettings Bind(params string[] args) =>
        SettingsCatalog.Bind(new ConfigurationBuilder().AddCommandLine(args, SettingsCatalog.SwitchMappings()).Build());

    [Fact]
    public void NobodyIsAnOperatorByDefault()
    {
        Assert.Equal(0, Bind().Irc.Operators.Count);
        Assert.Same(IrcOperatorLogins.None, IrcOperatorLogins.Parse(" , "));
    }

    [Fact]
    public void OnlyAConfiguredNameWithItsOwnPasswordLogsIn()
    {
        var logins = Bind("--irc-operators", "root:hunter2, night:watch:man").Irc.Operators;

        Assert.Equal(2, logins.Count);
        Assert.True(logins.Check("root", "hunter2"));
        Assert.True(logins.Check("night", "watch:man"));
        Assert.False(logins.Check("root", "watch:man"));
        Assert.False(logins.Check("Root", "hunter2"));
        Assert.False(logins.Check("nobody", "hunter2"));
        Assert.False(logins.Check("root", ""));
    }

    [Theory]
    [InlineData("root")]
    [InlineData("root:")]
    [InlineData(":secret")]
    [InlineData("ro ot:secret")]
    [InlineData("root:a,root:b")]
    public void AnUnusableListIsRefusedWithoutRepeatingIt(string value)
    {
        var error = Assert.Throws<SettingException>(() => Bind("--irc-operators", value));

        Assert.StartsWith("invalid setting --irc-operators (CatChat:IrcOperators): the value ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }
}
