using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>A web chat socket that never picks a nickname does not hold its place under the connection caps for ever.</summary>
public sealed class WebChatNicknameDeadlineTests
{
    [Fact]
    public async Task ASocketWithoutANicknameIsToldAndClosedAtTheDeadlineAndAChatterStays()
    {
        await using var server = await ChatServer.StartAsync("--web-chat-nick-timeout", "1");
        // alice connects first, so once the lurker's deadline has passed, hers (earlier) has too.
        await using var alice = await WebChatClient.ConnectAsync(server);
        await alice.SendAsync(new { type = "hello", nick = "alice" });
        await alice.WaitForAsync(m => m.Type() == "welcome", "alice's welcome");
        await using var lurker = await WebChatClient.ConnectAsync(server);

        await lurker.WaitForAsync(m => m.Type() == "error" && m.String("code") == "timeout", "the deadline's error");
        await lurker.WaitUntilClosedAsync();

        // alice, in the chat, is past the same deadline and still served.
        await alice.SendAsync(new { type = "say", text = "still here" });
        await alice.WaitForAsync(m => m.Type() == "line" && m.Text() == "still here", "alice's own line");
    }
}
