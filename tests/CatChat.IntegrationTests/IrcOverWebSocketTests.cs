using System.Net;
using System.Net.WebSockets;
using System.Text;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>
/// IRC over WebSocket (IRCv3's WebSocket transport) on the HTTP side: the same IRC, one line per message, beside IRC
/// and netcat users, with the web chat's Origin check.
/// </summary>
public sealed class IrcOverWebSocketTests
{
    [Fact]
    public async Task AWebIrcClientSharesTheLobbyWithIrcAndNetcatUsersOneLinePerMessage()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var web = await IrcWebSocketClient.ConnectAsync(server, "webby", "text.ircv3.net");
        Assert.Equal("text.ircv3.net", web.SubProtocol);
        await web.SendAsync("JOIN #lobby");
        await web.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "366", "the end of NAMES");
        await using var carol = await server.ConnectIrcAsync("carol");
        await carol.JoinAsync("#lobby");
        await using var bob = await server.ConnectAsync("bob");
        await web.WaitForLineAsync(line => line.EndsWith(" NICK bob", StringComparison.Ordinal), "bob's arrival");

        await web.SendAsync("PRIVMSG #lobby :hello from a browser");
        await bob.WaitForLineAsync("<webby> hello from a browser");
        await carol.WaitForLineAsync(":webby!~webby@irc PRIVMSG #lobby :hello from a browser");

        await bob.SendAsync("hi webby");
        await web.WaitForLineAsync(line => line == ":bob!nc@netcat PRIVMSG #lobby :hi webby", "bob's line");
        await carol.SendAsync("PRIVMSG webby :psst");
        await web.WaitForLineAsync(line => line == ":carol!~carol@irc PRIVMSG webby :psst", "carol's private message");
        await bob.SendAsync("/msg webby from netcat");
        await web.WaitForLineAsync(line => line.EndsWith(" PRIVMSG webby :from netcat", StringComparison.Ordinal), "bob's private message");

        Assert.All(web.Seen, message =>
        {
            Assert.False(message.Binary);
            Assert.DoesNotContain('\r', message.Line);
            Assert.DoesNotContain('\n', message.Line);
            Assert.NotEmpty(message.Line);
        });

        await web.SendAsync("QUIT :closing the tab");
        await bob.WaitForLineAsync("*** webby has quit (closing the tab)");
        await web.WaitUntilClosedAsync();
    }

    [Theory]
    [InlineData(new[] { "binary.ircv3.net" }, "binary.ircv3.net")]
    [InlineData(new[] { "text.ircv3.net" }, "text.ircv3.net")]
    [InlineData(new[] { "binary.ircv3.net", "text.ircv3.net" }, "binary.ircv3.net")]
    [InlineData(new[] { "text.ircv3.net", "binary.ircv3.net" }, "text.ircv3.net")]
    [InlineData(new[] { "chat.example" }, null)]
    [InlineData(new string[0], null)]
    public async Task TheClientsFirstIrcSubprotocolIsChosenAndSaysHowLinesTravel(string[] offered, string? chosen)
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var web = await IrcWebSocketClient.ConnectAsync(server, "webby", offered);

        Assert.Equal(chosen, web.SubProtocol);
        Assert.NotEmpty(web.Seen);
        Assert.All(web.Seen, message => Assert.Equal(chosen == "binary.ircv3.net", message.Binary));
    }

    [Fact]
    public async Task AHandshakeAtTheRootIsIrcsWhileAPlainRequestThereIsNot()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var web = await IrcWebSocketClient.OpenAsync(server, ["text.ircv3.net"], path: "/");
        await web.SendAsync("NICK rooted");
        await web.SendAsync("USER rooted 0 * :Rooted");
        await web.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "001", "the welcome");

        using var http = new HttpClient { BaseAddress = server.HttpBase };
        Assert.NotEqual(HttpStatusCode.BadRequest, (await http.GetAsync("/")).StatusCode);
        var plain = await http.GetAsync("/irc");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Contains("IRC over WebSocket", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrOrLfInsideAMessageCannotSmuggleInASecondCommand()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var web = await IrcWebSocketClient.ConnectAsync(server, "webby", "text.ircv3.net");
        await web.SendAsync("JOIN #lobby");
        await web.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "366", "the end of NAMES");

        await web.SendAsync("PRIVMSG #lobby :one\r\nQUIT :smuggled\nPRIVMSG bob :two");
        await bob.WaitForLineAsync("<webby> one  QUIT :smuggled PRIVMSG bob :two");
        await web.SendAsync("PING still-here");
        await web.WaitForLineAsync(line => line.EndsWith(" PONG catchat still-here", StringComparison.Ordinal) || line.EndsWith(" :still-here", StringComparison.Ordinal), "the PONG");
        Assert.DoesNotContain(bob.Seen, line => line.Contains("has quit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BinaryMessagesAreLinesTooAndWhatIsNotUtf8IsRefusedAsOnTheIrcPort()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var web = await IrcWebSocketClient.ConnectAsync(server, "webby", "text.ircv3.net");
        await web.SendAsync("JOIN #lobby");
        await web.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "366", "the end of NAMES");

        await web.SendAsync("PRIVMSG #lobby :sent as binary, caf\u00e9", binary: true);
        await bob.WaitForLineAsync("<webby> sent as binary, caf\u00e9");
        await web.SendRawAsync([.. "PRIVMSG #lobby :caf"u8, 0xE9], binary: true);
        await web.WaitForLineAsync(line => line.Contains(" FAIL PRIVMSG INVALID_UTF8 ", StringComparison.Ordinal), "the refusal");
        Assert.DoesNotContain(bob.Seen, line => line.StartsWith("<webby> caf", StringComparison.Ordinal) && !line.Contains("binary", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOverlongLineGetsTheIrcPortsNumeric()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var web = await IrcWebSocketClient.ConnectAsync(server, "webby", "text.ircv3.net");

        await web.SendAsync("PRIVMSG #lobby :" + new string('x', 600));
        await web.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "417", "ERR_INPUTTOOLONG");
        await web.SendAsync("PING after");
        await web.WaitForLineAsync(line => line.EndsWith(":after", StringComparison.Ordinal) || line.EndsWith(" after", StringComparison.Ordinal), "the PONG");
    }

    [Fact]
    public async Task APageOfAnotherOriginIsRefusedUnlessListed()
    {
        await using var server = await ChatServer.StartWithIrcAsync("--web-chat-origins", "https://irc.example.org");

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => IrcWebSocketClient.OpenAsync(server, ["text.ircv3.net"], origin: "https://evil.example"));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
        await using var listed = await IrcWebSocketClient.OpenAsync(server, ["text.ircv3.net"], origin: "https://irc.example.org");
        await listed.SendAsync("NICK listed");
        await listed.SendAsync("USER listed 0 * :Listed");
        await listed.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "001", "the welcome");
    }

    [Fact]
    public async Task TurnedOffThereIsNoIrcOverWebSocket()
    {
        await using var server = await ChatServer.StartWithIrcAsync("--irc-websocket", "false");

        await Assert.ThrowsAsync<WebSocketException>(() => IrcWebSocketClient.OpenAsync(server, ["text.ircv3.net"]));
        await Assert.ThrowsAsync<WebSocketException>(() => IrcWebSocketClient.OpenAsync(server, ["text.ircv3.net"], path: "/"));
    }
}
