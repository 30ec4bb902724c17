using CatChat.FrontDoors.WebSocket;
using CatChat.Hosting;
using Microsoft.Extensions.Configuration;

namespace CatChat.Tests;

public sealed class WebChatSettingsTests
{
    private static CatChatSettings BindCommandLine(params string[] args)
    {
        SettingsCatalog.CheckCommandLine(args);
        var configuration = new ConfigurationBuilder().AddCommandLine(args, SettingsCatalog.SwitchMappings()).Build();
        return SettingsCatalog.Bind(configuration);
    }

    [Fact]
    public void TheWebChatIsOnWithNoExtraOriginsByDefault()
    {
        var options = BindCommandLine();

        Assert.True(options.WebChat.Enabled);
        Assert.Empty(options.WebChat.AllowedOrigins);
    }

    [Fact]
    public void WebChatSwitchesSetTheirSettings()
    {
        var options = BindCommandLine("--web-chat", "false", "--web-chat-origins", "https://chat.example.com, http://localhost:3000");

        Assert.False(options.WebChat.Enabled);
        Assert.Equal(["https://chat.example.com", "http://localhost:3000"], options.WebChat.AllowedOrigins);
    }

    [Theory]
    [InlineData("--web-chat", "maybe", "invalid setting --web-chat (CatChat:WebChat): \"maybe\" is not true or false")]
    [InlineData("--web-chat-origins", "chat.example.com", "invalid setting --web-chat-origins (CatChat:WebChatOrigins): \"chat.example.com\" contains \"chat.example.com\", which is not an origin such as https://chat.example.com")]
    [InlineData("--web-chat-origins", "https://chat.example.com/path", "which is not an origin")]
    public void ABadWebChatSettingIsRefusedInOneLineNamingIt(string name, string value, string expected)
    {
        var refused = Assert.Throws<SettingException>(() => BindCommandLine(name, value));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }
}
