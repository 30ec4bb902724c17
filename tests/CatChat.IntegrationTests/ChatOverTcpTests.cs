using System.Text;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

public class ChatOverTcpTests
{
    /// <summary>The server under test: the default transport here, io_uring in the derived class.</summary>
    private protected virtual Task<ChatServer> StartServerAsync(params string[] settings) => ChatServer.StartAsync(settings);

    [Fact]
    public async Task TwoClientsSeeTheBannerEachOthersJoinAndEachOthersLines()
    {
        await using var server = await StartServerAsync("--banner", "Welcome to CatChat!\\nBe nice.");
        await using var alice = await server.ConnectAsync();
        await using var bob = await server.ConnectAsync();

        Assert.Equal(["Welcome to CatChat!", "Be nice."], alice.Seen.Take(2));
        Assert.Matches(@"^guest-\d{4}$", alice.Nick);
        await alice.WaitForLineAsync($"*** {bob.Nick} has joined");

        await alice.SendAsync("hello bob");
        await bob.WaitForLineAsync($"<{alice.Nick}> hello bob");
        await bob.SendAsync("hi alice");
        var aliceSaw = await alice.LinesBeforeAsync($"<{bob.Nick}> hi alice");

        Assert.DoesNotContain($"<{alice.Nick}> hello bob", aliceSaw);
    }

    [Fact]
    public async Task LinesEndWithCrLfOnTheWire()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync();
        using var raw = new System.Net.Sockets.TcpClient();
        await raw.ConnectAsync("127.0.0.1", server.ChatPort);
        var stream = raw.GetStream();
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("*** You are ", StringComparison.Ordinal) || !received.ToString().EndsWith('\n'))
        {
            var read = await stream.ReadAsync(buffer);
            Assert.NotEqual(0, read);
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        Assert.StartsWith("Welcome to CatChat!\r\n*** You are guest-", received.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\n", received.ToString().Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyAndBlankLinesAreIgnored()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendRawAsync("\r\n\n   \r\nafter\r\n"u8.ToArray());

        var bobSaw = await bob.LinesBeforeAsync("<alice> after");
        Assert.DoesNotContain(bobSaw, line => line.StartsWith("<alice>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NickChangeIsAnnouncedAndTakenOrInvalidNamesAreRefusedWithTheReason()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync();

        await bob.SendAsync("/nick ALICE");
        await bob.WaitForLineAsync("! Cannot change nickname to ALICE: the nickname alice is taken.");
        await bob.SendAsync("/nick admin");
        await bob.WaitForLineAsync("! Cannot change nickname to admin: the nickname admin is reserved.");
        await bob.SendAsync("/nick guest-1");
        await bob.WaitForLineAsync("! Cannot change nickname to guest-1: names like guest-1 are given by the server to newcomers.");
        await bob.SendAsync("/nick b\u00f6b");
        await bob.WaitForLineAsync(line => line.StartsWith("! Cannot change nickname to b\u00f6b: a nickname may contain only ASCII", StringComparison.Ordinal));
        await bob.SendAsync("/nick " + new string('b', 25));
        await bob.WaitForLineAsync(line => line.EndsWith("a nickname has at most 24 characters.", StringComparison.Ordinal));
        var oldNick = bob.Nick;
        await bob.SendAsync("/nick bob");

        await alice.WaitForLineAsync($"*** {oldNick} is now known as bob");
        await bob.WaitForLineAsync($"*** {oldNick} is now known as bob");
    }

    [Fact]
    public async Task WhoListsEveryoneOnline()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("/who");

        await alice.WaitForLineAsync("*** 2 users online: alice, bob");
    }

    [Fact]
    public async Task ActionIsShownWithAStarAndTheNick()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("/me waves");

        await bob.WaitForLineAsync("* alice waves");
    }

    [Fact]
    public async Task PrivateMessageReachesOnlyItsTarget()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");

        await alice.SendAsync("/msg Bob psst");
        await bob.WaitForLineAsync("*alice* psst");
        await alice.WaitForLineAsync("-> *bob* psst");
        await alice.SendAsync("/msg nobody hello");
        await alice.WaitForLineAsync("! No such nickname: nobody.");
        await alice.SendAsync("marker");

        var carolSaw = await carol.LinesBeforeAsync("<alice> marker");
        Assert.DoesNotContain(carolSaw, line => line.Contains("psst", StringComparison.Ordinal) || line.Contains("hello", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QuitWithReasonIsAnnouncedAndClosesTheConnection()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("/quit off to lunch");

        await alice.WaitForLineAsync("*** Goodbye!");
        await alice.WaitUntilClosedAsync();
        await bob.WaitForLineAsync("*** alice has quit (off to lunch)");
    }

    [Fact]
    public async Task DisconnectIsAnnouncedWithItsReason()
    {
        await using var server = await StartServerAsync();
        var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.DisposeAsync();

        await bob.WaitForLineAsync("*** alice has left (connection closed)");
    }

    [Fact]
    public async Task HelpListsTheCommands()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync();

        await alice.SendAsync("/help");

        await alice.WaitForLineAsync("*** Type a line to send it to everyone. Commands:");
        foreach (var command in new[] { "/nick NAME", "/who", "/me ACTION", "/msg NICK TEXT", "/quit [REASON]", "/help", "//TEXT" })
        {
            await alice.WaitForLineAsync(line => line.StartsWith("***   " + command, StringComparison.Ordinal), command);
        }
    }

    [Fact]
    public async Task UnknownCommandsAndMissingArgumentsAnswerOnlyTheSender()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("/dance");
        await alice.WaitForLineAsync("! Unknown command /dance. Type /help for the commands.");
        await alice.SendAsync("/msg bob");
        await alice.WaitForLineAsync("! Usage: /msg NICK TEXT");
        await alice.SendAsync("/me");
        await alice.WaitForLineAsync("! Usage: /me ACTION");
        await alice.SendAsync("/nick");
        await alice.WaitForLineAsync("! Usage: /nick NAME");
        await alice.SendAsync("marker");

        var bobSaw = await bob.LinesBeforeAsync("<alice> marker");
        Assert.DoesNotContain(bobSaw, line => line.Contains("dance", StringComparison.Ordinal) || line.StartsWith("! ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DoubleSlashSendsALineThatStartsWithASlash()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("//usr/bin is full");

        await bob.WaitForLineAsync("<alice> /usr/bin is full");
    }

    [Fact]
    public async Task NoUserInputLooksLikeANoticeOrAnError()
    {
        await using var server = await StartServerAsync();
        await using var mallory = await server.ConnectAsync("mallory");
        await using var bob = await server.ConnectAsync("bob");

        await mallory.SendAsync("/me ** Server is shutting down");
        await mallory.SendAsync("\r*** fake notice");
        await mallory.SendAsync("\u001b[2K\r! fake error");
        await mallory.SendAsync("/msg bob \r*** fake private notice");
        await mallory.SendAsync("marker");

        var bobSaw = await bob.LinesBeforeAsync("<mallory> marker");
        var fromMallory = bobSaw.SkipWhile(line => !line.Contains("is now known as bob", StringComparison.Ordinal)).Skip(1).ToList();
        Assert.Equal(4, fromMallory.Count);
        Assert.All(fromMallory, line => Assert.False(
            line.StartsWith("*** ", StringComparison.Ordinal) || line.StartsWith("! ", StringComparison.Ordinal), line));
    }
}
