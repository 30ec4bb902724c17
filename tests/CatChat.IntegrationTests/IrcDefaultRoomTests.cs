using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>The default room is everyone's: every login lands there, so nobody becomes its operator by joining first.</summary>
public sealed class IrcDefaultRoomTests
{
    [Fact]
    public async Task TheFirstIrcUserInTheEmptyDefaultRoomCannotLockNetcatUsersOut()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var mallory = await server.ConnectIrcAsync("mallory");

        await mallory.SendAsync("JOIN #lobby");
        await mallory.WaitForLineAsync(":catchat 353 mallory = #lobby :mallory");
        await mallory.SendAsync("MODE #lobby +m");
        await mallory.WaitForLineAsync(":catchat 482 mallory #lobby :You're not channel operator");
        await mallory.SendAsync("MODE #lobby +b *!*@netcat");
        await mallory.WaitForLineAsync(":catchat 482 mallory #lobby :You're not channel operator");

        // A netcat user who logs in after her still speaks there, and cannot be kicked by her.
        await using var bob = await server.ConnectAsync("bob");
        await mallory.WaitForLineAsync(line => line.EndsWith(" NICK bob", StringComparison.Ordinal), "bob's nickname");
        await mallory.SendAsync("KICK #lobby bob :go away");
        await mallory.WaitForLineAsync(":catchat 482 mallory #lobby :You're not channel operator");
        await bob.SendAsync("still here");
        await mallory.WaitForLineAsync(":bob!nc@netcat PRIVMSG #lobby :still here");

        // Any other room still gets its maker as its first operator.
        await mallory.SendAsync("JOIN #den");
        await mallory.WaitForLineAsync(":catchat 353 mallory = #den :@mallory");
    }
}
