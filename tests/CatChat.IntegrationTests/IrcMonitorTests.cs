using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>MONITOR and HELP on the IRC port, with IRC and netcat users as the watched.</summary>
public sealed class IrcMonitorTests
{
    [Fact]
    public async Task MonitorTellsWhenAWatchedNickArrivesThroughEitherDoorRenamesAndLeaves()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        Assert.Contains(alice.Seen, line => line.Contains(" 005 ", StringComparison.Ordinal) && line.Contains(" MONITOR=100 ", StringComparison.Ordinal));

        await alice.JoinAsync("#lobby"); // To see bob quit, the marker that his leaving has been told if it was going to be.
        await alice.SendAsync("MONITOR + bob,carol");
        await alice.WaitForLineAsync(":catchat 731 alice :bob,carol");

        // bob comes by netcat: he arrives as a guest and renames, which is when "bob" comes online.
        await using var bob = await server.ConnectAsync("bob");
        await alice.WaitForLineAsync(":catchat 730 alice :bob!nc@netcat");
        await bob.SendAsync("/nick Bob");
        await bob.WaitForLineAsync(line => line.Contains("is now known as Bob", StringComparison.Ordinal), "bob's own rename");
        await using (var carol = await server.ConnectIrcAsync("carol"))
        {
            await alice.WaitForLineAsync(":catchat 730 alice :carol!~carol@irc");
            await carol.SendAsync("NICK caroline");
            await alice.WaitForLineAsync(":catchat 731 alice :carol");
            await carol.SendAsync("NICK carol");
            await alice.WaitForLineAsync(":catchat 730 alice :carol!~carol@irc");
            await alice.SendAsync("MONITOR S");
            await alice.WaitForLineAsync(":catchat 730 alice :Bob!nc@netcat,carol!~carol@irc");
            await carol.SendAsync("QUIT :bye");
            await alice.WaitForLineAsync(":catchat 731 alice :carol");
        }

        await alice.SendAsync("MONITOR - bob");
        // Alice's commands are taken in order: once her list is answered, bob is off it, and only then may he leave.
        await alice.SendAsync("MONITOR L");
        await alice.WaitForNumericAsync("733");
        Assert.DoesNotContain(alice.Seen, line => IrcTestClient.Numeric(line) == "732" && line.Contains("bob", StringComparison.OrdinalIgnoreCase));
        await bob.SendAsync("/quit");
        await alice.WaitForLineAsync(line => line.StartsWith(":Bob!nc@netcat QUIT", StringComparison.Ordinal), "Bob's quit, seen in #lobby");
        await alice.SendAsync("PING :after-bob");
        await alice.WaitForLineAsync(line => line.EndsWith(":after-bob", StringComparison.Ordinal), "the PONG");

        // The case-only rename of bob was no news, and once unwatched his leaving is not told.
        Assert.DoesNotContain(":catchat 730 alice :Bob!nc@netcat", alice.Seen);
        Assert.DoesNotContain(alice.Seen, line => line is ":catchat 731 alice :bob" or ":catchat 731 alice :Bob");
    }

    [Fact]
    public async Task AGuestCanBeWatchedThoughNobodyMayTakeAGuestsName()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var guest = await server.ConnectAsync();
        await using var alice = await server.ConnectIrcAsync("alice");

        await alice.SendAsync("MONITOR + " + guest.Nick);

        await alice.WaitForLineAsync($":catchat 730 alice :{guest.Nick}!nc@netcat");
    }

    [Fact]
    public async Task MonitorListsClearsRefusesMasksAndStopsAtItsLimit()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");

        await alice.SendAsync("MONITOR + *!user@host,dave");
        await alice.WaitForLineAsync(":catchat 731 alice :dave");
        await alice.SendAsync("MONITOR L");
        await alice.WaitForLineAsync(":catchat 732 alice :dave");
        await alice.WaitForLineAsync(":catchat 733 alice :End of MONITOR list");
        await alice.SendAsync("MONITOR C");
        await alice.SendAsync("MONITOR L");
        await alice.WaitForLineAsync(":catchat 733 alice :End of MONITOR list");
        await alice.SendAsync("MONITOR");
        await alice.WaitForLineAsync(":catchat 461 alice MONITOR :Not enough parameters");

        var hundredAndTwo = string.Join(',', Enumerable.Range(1, 102).Select(i => "n" + i));
        await alice.SendAsync("MONITOR + " + hundredAndTwo);
        await alice.WaitForLineAsync(":catchat 734 alice 100 n101,n102 :Monitor list is full.");
        await alice.SendAsync("MONITOR L");
        await alice.WaitForNumericAsync("733");
        var listed = alice.Seen.Where(line => IrcTestClient.Numeric(line) == "732")
            .SelectMany(line => line[(line.IndexOf(" :", StringComparison.Ordinal) + 2)..].Split(','))
            .Where(nick => nick.StartsWith('n'));
        Assert.Equal(100, listed.Count());
        Assert.All(alice.Seen, line => Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 510, line));
    }

    [Fact]
    public async Task HelpAnswersWithTheHelpNumericsAndSaysWhenThereIsNone()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");

        await alice.SendAsync("HELP privmsg");
        await alice.WaitForLineAsync(":catchat 704 alice privmsg :PRIVMSG #room|nick :text");
        await alice.WaitForLineAsync(line => line.StartsWith(":catchat 705 alice privmsg :", StringComparison.Ordinal), "the help text");
        await alice.WaitForLineAsync(":catchat 706 alice privmsg :End of /HELP");
        await alice.SendAsync("HELPOP");
        await alice.WaitForLineAsync(line => line.StartsWith(":catchat 704 alice * :", StringComparison.Ordinal), "the index");
        await alice.WaitForLineAsync(":catchat 706 alice * :End of /HELP");
        await alice.SendAsync("HELP NOSUCHTHING");
        await alice.WaitForLineAsync(":catchat 524 alice NOSUCHTHING :No help available on this topic");
    }
}
