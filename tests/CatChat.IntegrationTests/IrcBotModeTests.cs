using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>IRCv3 bot mode (+B) on the IRC port: announced, shown by WHO and WHOIS, and tagged on the bot's messages.</summary>
public sealed class IrcBotModeTests
{
    [Fact]
    public async Task ABotIsAnnouncedShownByWhoAndWhoisAndTagsItsMessages()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var bot = await server.ConnectIrcAsync("beeper", "message-tags", "echo-message");
        await using var alice = await server.ConnectIrcAsync("alice", "message-tags");
        Assert.Contains(alice.Seen, line => line.Contains(" 005 ", StringComparison.Ordinal) && line.Contains(" BOT=B ", StringComparison.Ordinal));

        await bot.SendAsync("MODE beeper +B");
        await bot.WaitForLineAsync(":beeper!~beeper@irc MODE beeper :+B");
        await bot.SendAsync("MODE beeper");
        await bot.WaitForLineAsync(":catchat 221 beeper +B");

        await bot.JoinAsync("#robots");
        await alice.JoinAsync("#robots");
        await bot.SendAsync("PRIVMSG #robots :beep boop");
        var seen = await alice.WaitForLineAsync(line => IrcTestClient.WithoutTags(line) == ":beeper!~beeper@irc PRIVMSG #robots :beep boop", "the bot's line");
        Assert.Matches(@"^@(.*;)?bot(;|\s)", seen);
        var echo = await bot.WaitForLineAsync(line => IrcTestClient.WithoutTags(line) == ":beeper!~beeper@irc PRIVMSG #robots :beep boop", "the echo");
        Assert.Matches(@"^@(.*;)?bot(;|\s)", echo);

        await alice.SendAsync("WHO #robots");
        var whoBot = await alice.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "352" && line.Contains(" beeper H", StringComparison.Ordinal), "WHO's line for the bot");
        Assert.Contains("B", IrcTestClient.WithoutTags(whoBot).Split(' ')[8], StringComparison.Ordinal);
        await alice.SendAsync("WHOIS beeper");
        await alice.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "335" && line.Contains(" alice beeper :", StringComparison.Ordinal), "RPL_WHOISBOT");

        // Giving the mode up takes the tag away again.
        await bot.SendAsync("MODE beeper -B");
        await bot.WaitForLineAsync(":beeper!~beeper@irc MODE beeper :-B");
        await bot.SendAsync("PRIVMSG alice :human now");
        var plain = await alice.WaitForLineAsync(line => IrcTestClient.WithoutTags(line) == ":beeper!~beeper@irc PRIVMSG alice :human now", "the private line");
        Assert.DoesNotMatch(@"^@(.*;)?bot(;|\s)", plain);
    }
}
