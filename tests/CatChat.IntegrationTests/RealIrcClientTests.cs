using System.Globalization;
using System.Text.RegularExpressions;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>
/// Real IRC clients against CatChat, used as a person uses them: irssi and WeeChat run in tmux, the test types their
/// commands and reads their screens, while a netcat user talks with them in #lobby. Each client gets a HOME of its
/// own with a configuration that names it and connects it nowhere by itself; the only network is 127.0.0.1.
/// scripts/install-deps.sh installs irssi, WeeChat and tmux; without them these tests fail, they never skip.
/// </summary>
public sealed class RealIrcClientTests
{
    [Fact]
    public async Task IrssiJoinsTheLobbyAndExchangesLinesAndActionsWithANetcatUser()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var mittens = await server.ConnectAsync("mittens");
        await using var irssi = await StartIrssiAsync(server, "whiskers");

        await irssi.TypeLineAsync("/join #lobby");
        await irssi.WaitForAsync("whiskers [~whiskers@irc] has joined #lobby");
        await mittens.WaitForLineAsync("*** whiskers has joined #lobby");

        await irssi.TypeLineAsync("hello from irssi");
        await mittens.WaitForLineAsync("<whiskers> hello from irssi");
        await mittens.SendAsync("hello from netcat");
        await irssi.WaitForAsync(Said("mittens", "hello from netcat"), "mittens's line");

        await irssi.TypeLineAsync("/me stretches");
        await mittens.WaitForLineAsync("* whiskers stretches");
        await mittens.SendAsync("/me waves");
        await irssi.WaitForAsync("* mittens waves");
    }

    [Fact]
    public async Task IrssiAndANetcatUserExchangePrivateMessages()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var mittens = await server.ConnectAsync("mittens");
        await using var irssi = await StartIrssiAsync(server, "whiskers");

        await mittens.SendAsync("/msg whiskers psst");
        await mittens.WaitForLineAsync("-> *whiskers* psst");
        await irssi.TypeLineAsync("/query mittens");
        await irssi.WaitForAsync("<mittens> psst");

        // Typed in the query window, a line is a private message to mittens.
        await irssi.TypeLineAsync("purr back");
        await mittens.WaitForLineAsync("*whiskers* purr back");
    }

    [Fact]
    public async Task WeeChatJoinsTheLobbyAndExchangesLinesWithANetcatUser()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var mittens = await server.ConnectAsync("mittens");
        await using var weechat = new TmuxSession();

        // Its own directory, only the IRC plugin, no automatic connection; the identity is set as a person would.
        await weechat.StartAsync(
            "weechat", "--dir", Path.Combine(weechat.Home, ".weechat"), "--no-connect", "--plugins", "irc",
            "--run-command", "/set irc.server_default.nicks tabby",
            "--run-command", "/set irc.server_default.username tabby",
            "--run-command", "/set irc.server_default.realname \"Tabby Cat\"");
        await weechat.WaitForAsync("Option changed: irc.server_default.realname");

        await weechat.TypeLineAsync($"/server add catchat 127.0.0.1/{Port(server)} -notls");
        await weechat.WaitForAsync("irc: server added: catchat");
        await weechat.TypeLineAsync("/connect catchat");
        await weechat.WaitForAsync("End of /MOTD command.");
        await weechat.TypeLineAsync("/join #lobby");
        await weechat.WaitForAsync("tabby (~tabby@irc) has joined #lobby");
        await mittens.WaitForLineAsync("*** tabby has joined #lobby");

        await weechat.TypeLineAsync("hello from weechat");
        await mittens.WaitForLineAsync("<tabby> hello from weechat");
        await mittens.SendAsync("hello from netcat");
        await weechat.WaitForAsync(new Regex(@"\bmittens \| hello from netcat"), "mittens's line");

        await weechat.TypeLineAsync("/me naps");
        await mittens.WaitForLineAsync("* tabby naps");
        await mittens.SendAsync("/me waves");
        await weechat.WaitForAsync(new Regex(@"\* \| mittens waves"), "mittens's action");
    }

    /// <summary>
    /// irssi in tmux with a configuration of its own (its nick, and no network or server to connect to by itself),
    /// connected to CatChat by typing <c>/connect</c>, as its user would.
    /// </summary>
    private static async Task<TmuxSession> StartIrssiAsync(ChatServer server, string nick)
    {
        var irssi = new TmuxSession();
        try
        {
            var home = Directory.CreateDirectory(Path.Combine(irssi.Home, ".irssi")).FullName;
            await File.WriteAllTextAsync(Path.Combine(home, "config"), $$"""
                settings = {
                  core = {
                    nick = "{{nick}}";
                    user_name = "{{nick}}";
                    real_name = "A cat on irssi";
                    settings_autosave = "no";
                  };
                };
                """);
            await irssi.StartAsync("irssi", "--home=" + home, "--noconnect");
            await irssi.WaitForAsync("[(status)]");

            // After registering, irssi paces what it sends (its cmds_max_at_once and cmd_queue_speed): its first
            // JOIN or line leaves it about 5 s after /connect, however fast CatChat answers.
            await irssi.TypeLineAsync($"/connect 127.0.0.1 {Port(server)}");
            await irssi.WaitForAsync("End of /MOTD command.");
            return irssi;
        }
        catch
        {
            await irssi.DisposeAsync();
            throw;
        }
    }

    /// <summary>A channel line as irssi shows it: the nick in angle brackets after its mode column (' ' or '@').</summary>
    private static Regex Said(string nick, string text) => new($"<[ @]{nick}> {Regex.Escape(text)}");

    private static string Port(ChatServer server) => server.IrcPort.ToString(CultureInfo.InvariantCulture);
}
