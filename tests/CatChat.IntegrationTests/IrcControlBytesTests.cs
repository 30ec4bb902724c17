using System.Text;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>
/// Control bytes from an IRC client: in a name (a nickname, a channel, a message's target) they are refused, never
/// dropped to leave another name; in free text they are dropped (formatting codes pass between IRC clients).
/// </summary>
public sealed class IrcControlBytesTests
{
    [Fact]
    public async Task ANicknameWithAControlByteIsRefusedRatherThanRewritten()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var client = IrcTestClient.Open(server.IrcPort);

        await client.SendRawAsync(Encoding.ASCII.GetBytes("NICK al\u0007ice\r\n"));

        var refusal = await client.WaitForNumericAsync("432");
        Assert.StartsWith(":catchat 432 * al\uFFFDice :", refusal, StringComparison.Ordinal);
        await client.SendAsync("NICK alice");
        await client.SendAsync("USER alice 0 * :Alice");
        Assert.StartsWith(":catchat 001 alice ", await client.WaitForNumericAsync("001"), StringComparison.Ordinal);
        Assert.DoesNotContain(client.Seen, line => line.Contains('\u0007', StringComparison.Ordinal));
    }

    [Fact]
    public async Task AChannelNameWithAControlByteIsRefusedRatherThanJoined()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");

        await alice.SendRawAsync(Encoding.ASCII.GetBytes("JOIN #ctl\u0007x\r\n"));

        Assert.Equal(":catchat 403 alice #ctl\uFFFDx :No such channel", await alice.WaitForNumericAsync("403"));
        await alice.SendAsync("PING done");
        await alice.WaitForNumericAsync("PONG");
        Assert.DoesNotContain(alice.Seen, line => line.Contains(" JOIN ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMessageToANickWithAControlByteReachesNobody()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendRawAsync(Encoding.ASCII.GetBytes("PRIVMSG bo\u0007b :psst\r\n"));

        Assert.Equal(":catchat 401 alice bo\uFFFDb :No such nick/channel", await alice.WaitForNumericAsync("401"));
        await alice.SendAsync("PRIVMSG bob :after");
        await bob.WaitForLineAsync("*alice* after");
        Assert.DoesNotContain(bob.Seen, line => line.Contains("psst", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AChannelKeyWithAControlByteIsRefusedRatherThanSetWithoutIt()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#cats");

        await alice.SendRawAsync(Encoding.ASCII.GetBytes("MODE #cats +k se\u0007cret\r\n"));

        Assert.Equal(":catchat 525 alice #cats :Key is not well-formed", await alice.WaitForNumericAsync("525"));
        await alice.SendAsync("MODE #cats");
        Assert.Equal(":catchat 324 alice #cats +n", await alice.WaitForNumericAsync("324"));
    }

    [Fact]
    public async Task FreeTextStillLosesControlBytesAndKeepsFormattingForIrcClients()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var carol = await server.ConnectIrcAsync("carol");
        await alice.JoinAsync("#cats");
        await carol.JoinAsync("#cats");
        await using var bob = await server.ConnectAsync("bob");
        await bob.SendAsync("/join #cats");
        await alice.WaitForLineAsync(":bob!nc@netcat JOIN #cats");

        await alice.SendRawAsync(Encoding.UTF8.GetBytes("PRIVMSG #cats :\u0002be\u0002ll\u0007 \u001b]0;title\u0007ok\r\n"));
        await alice.SendRawAsync(Encoding.UTF8.GetBytes("TOPIC #cats :naps\u0007 \u001fonly\u001f\r\n"));
        await alice.SendRawAsync(Encoding.UTF8.GetBytes("PART #cats :bye\u001b[2J\u0000 now\r\n"));

        await carol.WaitForLineAsync(":alice!~alice@irc PRIVMSG #cats :\u0002be\u0002ll ok");
        await carol.WaitForLineAsync(":alice!~alice@irc TOPIC #cats :naps only"); // A topic reaches netcat users too: no formatting.
        await carol.WaitForLineAsync(":alice!~alice@irc PART #cats :bye now");
        await bob.WaitForLineAsync("<alice> bell ok");
        await bob.WaitForLineAsync("*** alice set the topic of #cats: naps only");
        await bob.WaitForLineAsync(line => line.StartsWith("*** alice has left #cats", StringComparison.Ordinal) && line.Contains("bye now", StringComparison.Ordinal), "alice's part");
        Assert.DoesNotContain(bob.Seen, line => line.Any(char.IsControl));
    }
}
