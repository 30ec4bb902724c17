using System.Net;
using CatChat.Chat;
using CatChat.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.IntegrationTests;

/// <summary>
/// --chat-password: every way in asks for it before a user is in the chat (netcat as its first line, IRC's PASS, the
/// web chat's hello); a wrong or missing one ends the connection having told the room nothing.
/// </summary>
public sealed class ChatPasswordTests
{
    private const string Password = "open sesame";

    [Fact]
    public async Task ANetcatUserTypesItAfterTheBannerAndOnlyThenIsInTheChat()
    {
        await using var server = await ChatServer.StartWithIrcAsync("--chat-password", Password, "--banner", "Private cats");
        await using var alice = await IrcTestClient.ConnectWithPasswordAsync(server.IrcPort, "alice", Password);
        await alice.JoinAsync("#lobby");
        await using var guest = TcpChatClient.Open(server.ChatPort);

        await guest.WaitForLineAsync("Private cats");
        await guest.WaitForLineAsync("*** This chat needs a password: type it and press Enter (within 60 seconds).");
        await guest.SendAsync(Password);
        await guest.WaitForWelcomeAsync();
        await alice.WaitForLineAsync(line => line.EndsWith($" JOIN #lobby", StringComparison.Ordinal) && line.StartsWith($":{guest.Nick}!", StringComparison.Ordinal), "the guest's join");
        await guest.SendAsync("hello cats");
        await alice.WaitForLineAsync(line => line.EndsWith("PRIVMSG #lobby :hello cats", StringComparison.Ordinal), "the guest's line");
    }

    [Fact]
    public async Task ANetcatUserWithAWrongPasswordIsToldAndDisconnectedUnannounced()
    {
        await using var server = await ChatServer.StartAsync("--chat-password", Password);
        await using var carol = TcpChatClient.Open(server.ChatPort);
        await carol.WaitForLineAsync(line => line.StartsWith("*** This chat needs a password", StringComparison.Ordinal), "the question");
        await carol.SendAsync(string.Empty);
        await carol.SendAsync("open says me");

        await carol.WaitForLineAsync("! Wrong password. Goodbye!");
        await carol.WaitUntilClosedAsync();
        Assert.Equal(0, server.Services.GetRequiredService<ChatRoom>().Count);
        Assert.DoesNotContain(carol.Seen, line => line.StartsWith("*** You are ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "This server needs a password: PASS before NICK and USER")]
    [InlineData("open says me", "Password incorrect")]
    public async Task AnIrcClientWithoutTheRightPassGets464ThenError(string? pass, string reason)
    {
        await using var server = await ChatServer.StartWithIrcAsync("--chat-password", Password);
        await using var client = IrcTestClient.Open(server.IrcPort);
        if (pass is not null)
        {
            await client.SendAsync("PASS :" + pass);
        }

        await client.SendAsync("NICK mallory");
        await client.SendAsync("USER mallory 0 * :M");

        await client.WaitForLineAsync($":catchat 464 mallory :{reason}");
        await client.WaitForLineAsync(line => line.StartsWith("ERROR :Closing Link: mallory", StringComparison.Ordinal) && line.EndsWith("(wrong password)", StringComparison.Ordinal), "ERROR");
        await client.WaitUntilClosedAsync();
        Assert.DoesNotContain(client.Seen, line => IrcTestClient.Numeric(line) == "001");
        Assert.Equal(0, server.Services.GetRequiredService<ChatRoom>().Count);
    }

    [Fact]
    public async Task AWebChatHelloCarriesItAndABannerSaysItIsNeeded()
    {
        await using var server = await ChatServer.StartAsync("--chat-password", Password);
        await using var without = await WebChatClient.ConnectAsync(server);
        var banner = await without.WaitForAsync(m => m.Type() == "banner", "the banner");
        Assert.True(banner.GetProperty("needsPassword").GetBoolean());
        await without.SendAsync(new { type = "hello", nick = "mallory" });
        Assert.Equal("password", (await without.WaitForAsync(m => m.Type() == "error", "the refusal")).String("code"));
        await without.WaitUntilClosedAsync();

        await using var dave = await WebChatClient.ConnectAsync(server);
        await dave.SendAsync(new { type = "hello", nick = "dave", password = Password });
        await dave.WaitForAsync(m => m.Type() == "welcome", "the welcome");
        Assert.Equal(1, server.Services.GetRequiredService<ChatRoom>().Count);
    }

    [Fact]
    public async Task ItsRoomsAreListedOverHttpOnlyWithTheAdminToken()
    {
        await using var server = await ChatServer.StartAsync("--chat-password", Password);
        using var anonymous = server.CreateHttpClient();
        using var admin = server.CreateHttpClient(admin: true);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/rooms")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("api/rooms")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("api/users")).StatusCode); // A count only.
    }

    [Fact]
    public async Task AnOpenChatAsksNothingAndIgnoresAPass()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = IrcTestClient.Open(server.IrcPort);
        await alice.SendAsync("PASS whatever");
        await alice.SendAsync("NICK alice");
        await alice.SendAsync("USER alice 0 * :A");
        await alice.WaitForNumericAsync("001");
        await using var web = await WebChatClient.ConnectAsync(server);
        Assert.False((await web.WaitForAsync(m => m.Type() == "banner", "the banner")).GetProperty("needsPassword").GetBoolean());
    }
}
