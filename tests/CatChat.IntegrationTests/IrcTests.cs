using System.Net.Http.Json;
using System.Text;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>The IRC front door over real sockets: registration, one chat with netcat users, and hostile input.</summary>
public sealed class IrcTests
{
    [Fact]
    public async Task RegistrationIsWelcomedWithIsupportAndTheBannerAsMotd()
    {
        await using var server = await ChatServer.StartWithIrcAsync("--banner", "Hello cats\\nBe kind");
        await using var alice = IrcTestClient.Open(server.IrcPort);
        await alice.SendAsync("NICK alice");
        await alice.SendAsync("USER alice 0 * :Alice Liddell");

        Assert.Equal(":catchat 001 alice :Welcome to the CatChat IRC Network alice!~alice@irc", await alice.WaitForNumericAsync("001"));
        var isupport = string.Join(' ', [await alice.WaitForNumericAsync("005"), await alice.WaitForNumericAsync("005")]);
        foreach (var token in new[] { "CASEMAPPING=ascii", "CHANTYPES=#", "CHANNELLEN=33", "NICKLEN=24", "PREFIX=(ov)@+" })
        {
            Assert.Contains(" " + token + " ", isupport, StringComparison.Ordinal);
        }

        await alice.WaitForNumericAsync("251");
        Assert.Equal(":catchat 372 alice :- Hello cats", await alice.WaitForNumericAsync("372"));
        Assert.Equal(":catchat 372 alice :- Be kind", await alice.WaitForNumericAsync("372"));
        await alice.WaitForNumericAsync("376");
    }

    [Fact]
    public async Task CommandsBeforeRegistrationAreRefusedAndUnknownOnesAreNamed()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var client = IrcTestClient.Open(server.IrcPort);
        await client.SendAsync("JOIN #lobby");
        Assert.Equal(":catchat 451 * :You have not registered", await client.WaitForNumericAsync("451"));

        await client.SendAsync("NICK carol");
        await client.SendAsync("USER carol 0 * :Carol");
        await client.WaitForNumericAsync("376");
        await client.SendAsync("FROBNICATE now");
        Assert.Equal(":catchat 421 carol FROBNICATE :Unknown command", await client.WaitForNumericAsync("421"));
        await client.SendAsync("PRIVMSG");
        await client.WaitForNumericAsync("411");
        await client.SendAsync("USER again 0 * :Again");
        await client.WaitForNumericAsync("462");
    }

    [Fact]
    public async Task IrcAndNetcatUsersShareTheLobbyBothWays()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#lobby");
        await using var bob = await server.ConnectAsync("bob");
        await alice.WaitForLineAsync(line => line.EndsWith(" NICK bob", StringComparison.Ordinal), "bob's rename");

        await bob.SendAsync("hello irc");
        await alice.WaitForLineAsync(":bob!nc@netcat PRIVMSG #lobby :hello irc");
        await bob.SendAsync("/me waves");
        await alice.WaitForLineAsync(":bob!nc@netcat PRIVMSG #lobby :\u0001ACTION waves\u0001");

        await alice.SendAsync("PRIVMSG #lobby :hi bob");
        await bob.WaitForLineAsync("<alice> hi bob");
        await alice.SendAsync("PRIVMSG #lobby :\u0001ACTION purrs\u0001");
        await bob.WaitForLineAsync("* alice purrs");

        await alice.SendAsync("PRIVMSG bob :psst");
        await bob.WaitForLineAsync("*alice* psst");
        await bob.SendAsync("/msg alice hush");
        await alice.WaitForLineAsync(":bob!nc@netcat PRIVMSG alice :hush");

        // A CTCP request to a netcat user is answered for them, never shown to them.
        await alice.SendAsync("PRIVMSG bob :\u0001VERSION\u0001");
        await alice.WaitForLineAsync(":bob!nc@netcat NOTICE alice :\u0001VERSION CatChat netcat user (no IRC client)\u0001");
        Assert.DoesNotContain(bob.Seen, line => line.Contains("VERSION", StringComparison.Ordinal));

        await bob.SendAsync("/quit lunch");
        await alice.WaitForLineAsync(":bob!nc@netcat QUIT :Quit: lunch");
    }

    [Fact]
    public async Task AMessageReachesEachTargetOnceAndTargetsPastTargmaxAreRefusedByName()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#lobby");
        await using var bob = await server.ConnectAsync("bob");
        await alice.WaitForLineAsync(line => line.EndsWith(" NICK bob", StringComparison.Ordinal), "bob's rename");
        var isupport = string.Join(' ', alice.Seen.Where(line => IrcTestClient.Numeric(line) == "005"));
        Assert.Contains(" TARGMAX=JOIN:,PART:,PRIVMSG:4,NOTICE:4,TAGMSG:4,", isupport, StringComparison.Ordinal);

        // Four distinct targets (bob, #lobby, nobody1, nobody2) are served; the fifth and sixth are refused.
        await alice.SendAsync("PRIVMSG bob,BOB,#lobby,#Lobby,nobody1,nobody2,nobody3,nobody4 :hi");
        await alice.WaitForLineAsync(":catchat 401 alice nobody2 :No such nick/channel");
        await alice.WaitForLineAsync(":catchat 407 alice nobody4 :Too many targets");
        await alice.SendAsync("NOTICE bob,#lobby,nobody1,nobody2,nobody3 :quiet");
        await alice.SendAsync("PRIVMSG #lobby :done");
        await bob.WaitForLineAsync("<alice> done");

        Assert.Equal(["*alice* hi"], bob.Seen.Where(line => line.EndsWith(" hi", StringComparison.Ordinal) && line.StartsWith("*alice*", StringComparison.Ordinal)));
        Assert.Equal(["<alice> hi"], bob.Seen.Where(line => line == "<alice> hi"));
        Assert.Equal(
            [":catchat 407 alice nobody3 :Too many targets", ":catchat 407 alice nobody4 :Too many targets"],
            alice.Seen.Where(line => IrcTestClient.Numeric(line) == "407"));
    }

    [Fact]
    public async Task APrivateActionReadsAsAnActionAndACtcpANetcatUserCannotAnswerIsRefusedToItsSender()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("PRIVMSG bob :\u0001ACTION waves\u0001");
        await bob.WaitForLineAsync("*alice* * alice waves");

        await alice.SendAsync("PRIVMSG bob :\u0001CLIENTINFO\u0001");
        await alice.WaitForLineAsync(":bob!nc@netcat NOTICE alice :\u0001CLIENTINFO ACTION CLIENTINFO PING TIME VERSION\u0001");
        await alice.SendAsync("PRIVMSG bob :\u0001DCC SEND cat.jpg 2130706433 5000 1024\u0001");
        await alice.WaitForLineAsync(":bob!nc@netcat NOTICE alice :\u0001ERRMSG DCC SEND cat.jpg 2130706433 5000 1024 :Not delivered: bob has no IRC client to answer it\u0001");
        await alice.SendAsync("PRIVMSG bob :\u0001stray");
        await alice.WaitForLineAsync(":bob!nc@netcat NOTICE alice :\u0001ERRMSG stray :Not delivered: bob has no IRC client to answer it\u0001");

        await alice.SendAsync("PRIVMSG bob :done");
        await bob.WaitForLineAsync("*alice* done");
        Assert.DoesNotContain(bob.Seen, line => line.Contains("CLIENTINFO", StringComparison.Ordinal) || line.Contains("DCC", StringComparison.Ordinal) || line.Contains("stray", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APrivateActionReachesAWebUserAsAnAction()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var carol = await WebChatClient.ConnectAsync(server, "carol");

        await alice.SendAsync("PRIVMSG carol :\u0001ACTION \u0002waves\u0002\u0001");

        var action = await carol.WaitForAsync(m => m.Type() == "private", "the private action");
        Assert.Equal("waves", action.Text());
        Assert.True(action.GetProperty("action").GetBoolean());
        await alice.SendAsync("PRIVMSG carol :plain");
        var plain = await carol.WaitForAsync(m => m.Type() == "private" && m.Text() == "plain", "the plain message");
        Assert.False(plain.TryGetProperty("action", out _));
    }

    [Fact]
    public async Task ARoomCtcpRequestReachesIrcClientsOnlyAndFormattingAloneIsNoText()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var carol = await server.ConnectIrcAsync("carol");
        await alice.JoinAsync("#lobby");
        await carol.JoinAsync("#lobby");
        await using var bob = await server.ConnectAsync("bob");
        await alice.WaitForLineAsync(line => line.EndsWith(" NICK bob", StringComparison.Ordinal), "bob's rename");

        await alice.SendAsync("PRIVMSG #lobby :\u0001VERSION\u0001");
        await carol.WaitForLineAsync(":alice!~alice@irc PRIVMSG #lobby :\u0001VERSION\u0001");
        await alice.SendAsync("PRIVMSG #lobby :\u0002\u0002");
        Assert.Equal(":catchat 412 alice :No text to send", await alice.WaitForNumericAsync("412"));

        await alice.SendAsync("PRIVMSG #lobby :done");
        await bob.WaitForLineAsync("<alice> done");
        await carol.WaitForLineAsync(":alice!~alice@irc PRIVMSG #lobby :done");
        Assert.Equal(["<alice> done"], bob.Seen.Where(line => line.StartsWith("<alice>", StringComparison.Ordinal)));
        Assert.DoesNotContain(carol.Seen, line => line.Contains('\u0002', StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChannelsAreRoomsWithJoinsPartsTopicsAndNames()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("JOIN #cats");
        await alice.WaitForLineAsync(":alice!~alice@irc JOIN #cats");
        Assert.Equal(":catchat 353 alice = #cats :@alice", await alice.WaitForNumericAsync("353"));
        await bob.SendAsync("/join #Cats");
        await alice.WaitForLineAsync(":bob!nc@netcat JOIN #cats");

        await alice.SendAsync("TOPIC #cats :naps only");
        await alice.WaitForLineAsync(":alice!~alice@irc TOPIC #cats :naps only");
        await bob.WaitForLineAsync("*** alice set the topic of #cats: naps only");

        await alice.SendAsync("NAMES #cats");
        Assert.Equal(":catchat 353 alice = #cats :@alice bob", await alice.WaitForNumericAsync("353"));
        await alice.SendAsync("LIST");
        await alice.WaitForLineAsync(":catchat 322 alice #cats 2 :naps only");

        await alice.SendAsync("KICK #cats bob :too loud");
        await alice.WaitForLineAsync(":alice!~alice@irc KICK #cats bob :too loud");
        await bob.WaitForLineAsync("*** You were removed from #cats: too loud");

        await alice.SendAsync("PART #cats :bye");
        await alice.WaitForLineAsync(":alice!~alice@irc PART #cats :bye");
        await alice.SendAsync("PRIVMSG #cats :anyone?");
        await alice.WaitForNumericAsync("403");
    }

    [Fact]
    public async Task AKickReasonIsCutToTheAdvertisedKicklen()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#cats");
        await using var carol = await server.ConnectIrcAsync("carol");
        await carol.JoinAsync("#cats");
        Assert.Contains(alice.Seen, line => IrcTestClient.Numeric(line) == "005" && line.Contains(" KICKLEN=300 ", StringComparison.Ordinal));

        await alice.SendAsync("KICK #cats carol :" + new string('k', 300) + new string('x', 180));

        await carol.WaitForLineAsync(":alice!~alice@irc KICK #cats carol :" + new string('k', 300));
    }

    [Fact]
    public async Task AnOperatorsModesHoldForNetcatUsersToo()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#cats");
        await alice.SendAsync("MODE #cats +km secret");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #cats +km secret");
        await using var bob = await server.ConnectAsync("bob");

        await bob.SendAsync("/join #cats");
        await bob.WaitForLineAsync("! Cannot join #cats: it needs a key (/join #cats KEY).");
        await bob.SendAsync("/join #cats secret");
        await alice.WaitForLineAsync(":bob!nc@netcat JOIN #cats");
        await bob.SendAsync("meow?");
        await bob.WaitForLineAsync("! You cannot speak in #cats now: it is moderated, or you are banned or muted there. Your line was not sent.");

        await alice.SendAsync("MODE #cats +v bob");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #cats +v bob");
        await bob.SendAsync("meow!");
        await alice.WaitForLineAsync(":bob!nc@netcat PRIVMSG #cats :meow!");
        await alice.SendAsync("NAMES #cats");
        Assert.Equal(":catchat 353 alice = #cats :@alice +bob", await alice.WaitForNumericAsync("353"));
    }

    [Fact]
    public async Task AModeCommandAppliesAtMostModesChangesWithAParameter()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#room");
        Assert.Contains(alice.Seen, line => IrcTestClient.Numeric(line) == "005" && line.Contains(" MODES=4 ", StringComparison.Ordinal));

        // Six bans and a flag: the first four bans are applied, the flag (no parameter, not counted) too.
        await alice.SendAsync("MODE #room +bbbbbbm a!*@* b!*@* c!*@* d!*@* e!*@* f!*@*");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #room +bbbb a!*@* b!*@* c!*@* d!*@*");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #room +m");
        await alice.SendAsync("MODE #room +b");
        await alice.WaitForNumericAsync("368");

        var bans = alice.Seen.Where(line => IrcTestClient.Numeric(line) == "367").Select(line => line.Split(' ')[4]);
        Assert.Equal(["a!*@*", "b!*@*", "c!*@*", "d!*@*"], bans.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(alice.Seen, line => line.Contains("e!*@*", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATopicLockedByAnOperatorHoldsForNetcatAndWebUsers()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#cats");
        await alice.SendAsync("MODE #cats +t");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #cats +t");
        await using var bob = await server.ConnectAsync("bob");
        await bob.SendAsync("/join #cats");
        await using var carol = await WebChatClient.ConnectAsync(server, "carol");
        await carol.SendAsync(new { type = "join", room = "#cats" });
        await alice.WaitForLineAsync(":carol!web@web JOIN #cats");

        await bob.SendAsync("/topic woof");
        await bob.WaitForLineAsync("! The topic of #cats is locked: only its operators can change it.");
        await carol.SendAsync(new { type = "topic", room = "#cats", text = "tweet" });
        var refused = await carol.WaitForAsync(m => m.Type() == "error", "the refusal");
        Assert.Equal("topic-locked", refused.String("code"));

        await alice.SendAsync("TOPIC #cats :naps only");
        await bob.WaitForLineAsync("*** alice set the topic of #cats: naps only");
        await carol.WaitForAsync(m => m.Type() == "topic" && m.String("room") == "#cats" && m.Text() == "naps only", "the new topic");

        // Unlocked, anyone in the room may set it, from any front door.
        await alice.SendAsync("MODE #cats -t");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #cats -t");
        await carol.SendAsync(new { type = "topic", room = "#CATS", text = "  tweet <b>  " });
        await alice.WaitForLineAsync(":carol!web@web TOPIC #cats :tweet <b>");
        await bob.WaitForLineAsync("*** carol set the topic of #cats: tweet <b>");
        await bob.SendAsync("/topic woof");
        await alice.WaitForLineAsync(":bob!nc@netcat TOPIC #cats :woof");
    }

    [Fact]
    public async Task NicknamesAreOneNamespaceAndIrcOnlyCharactersAreRefused()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var client = IrcTestClient.Open(server.IrcPort);
        await client.SendAsync("NICK Bob");
        Assert.Equal(":catchat 433 * Bob :Nickname is already in use", await client.WaitForNumericAsync("433"));
        await client.SendAsync("NICK [cat]");
        await client.WaitForLineAsync(line => line.StartsWith(":catchat 432 * [cat] :", StringComparison.Ordinal), "432 for [cat]");
        await client.SendAsync("NICK Guest-4821");
        Assert.Equal(
            ":catchat 432 * Guest-4821 :Erroneous nickname: names like Guest-4821 are given by the server to newcomers",
            await client.WaitForNumericAsync("432"));
        await client.SendAsync("NICK cat");
        await client.SendAsync("USER cat 0 * :Cat");
        await client.WaitForNumericAsync("001");

        await bob.SendAsync("/nick CAT");
        await bob.WaitForLineAsync("! Cannot change nickname to CAT: the nickname cat is taken.");
    }

    [Fact]
    public async Task OverlongLinesAreRefusedWith417AndTheConnectionStaysUsable()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#lobby");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("PRIVMSG #lobby :" + new string('x', 600));
        await alice.WaitForNumericAsync("417");
        await alice.SendAsync("PRIVMSG #lobby :short one");
        await bob.WaitForLineAsync("<alice> short one");
        Assert.DoesNotContain(bob.Seen, line => line.Contains("xxxx", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TagsThatSanitisingWouldGrowDoNotMakeRoomForAnOverlongMessage()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var client = IrcTestClient.Open(server.IrcPort);
        await client.SendAsync("NICK carol");

        // 1,300 invalid bytes are 1,305 bytes of tags as received, but 3,900 once each becomes U+FFFD.
        var line = new List<byte>("@+a="u8.ToArray());
        line.AddRange(Enumerable.Repeat((byte)0x80, 1300));
        line.AddRange(Encoding.ASCII.GetBytes(" USER carol 0 * :" + new string('r', 2500) + "\r\n"));
        await client.SendRawAsync([.. line]);

        Assert.Equal(":catchat 417 carol :Input line was too long", await client.WaitForNumericAsync("417"));
    }

    [Fact]
    public async Task TagsThatSanitisingWouldShrinkDoNotMakeAShortMessageTooLong()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#lobby");
        await using var bob = await server.ConnectAsync("bob");

        // 1,000 control bytes: well within the 4,096 bytes a client's tags may take, though they are dropped on reading.
        await alice.SendRawAsync(Encoding.ASCII.GetBytes("@+a=" + new string('\u0005', 1000) + " PRIVMSG #lobby :short one\r\n"));

        await bob.WaitForLineAsync("<alice> short one");
        Assert.DoesNotContain(alice.Seen, line => IrcTestClient.Numeric(line) == "417");
    }

    [Fact]
    public async Task FormattingReachesIrcClientsButNeverANetcatTerminal()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var carol = await server.ConnectIrcAsync("carol");
        await alice.JoinAsync("#lobby");
        await carol.JoinAsync("#lobby");
        await using var bob = await server.ConnectAsync("bob");

        // Bold, a colour with its digits, an escape sequence and a NUL: the last two reach nobody.
        await alice.SendRawAsync(Encoding.UTF8.GetBytes("PRIVMSG #lobby :\u0002bold\u0002 \u000304,12red\u0003 \u001b[2Jclear\0 end\r\n"));
        await carol.WaitForLineAsync(":alice!~alice@irc PRIVMSG #lobby :\u0002bold\u0002 \u000304,12red\u0003 clear end");
        var seen = await bob.WaitForLineAsync(line => line.StartsWith("<alice> ", StringComparison.Ordinal), "alice's line");
        Assert.Equal("<alice> bold red clear end", seen);
        Assert.DoesNotContain(seen, c => char.IsControl(c));
    }

    [Fact]
    public async Task AQuitReasonReachesANetcatTerminalWithoutControlBytes()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#lobby");
        await using var bob = await server.ConnectAsync("bob");
        await alice.WaitForLineAsync(line => line.EndsWith(" NICK bob", StringComparison.Ordinal), "bob's rename");

        await alice.SendRawAsync(Encoding.UTF8.GetBytes("QUIT :\u0002bold\u000304red\u0003 \u0001ACTION x\u0001 \u0016rev\u001f\r\n"));

        var seen = await bob.WaitForLineAsync(line => line.StartsWith("*** alice has quit", StringComparison.Ordinal), "alice's quit");
        Assert.Equal("*** alice has quit (boldred ACTION x rev)", seen);
        Assert.DoesNotContain(seen, c => c < ' ');
    }

    [Fact]
    public async Task AConnectionPastThePerAddressCapIsRefusedWithAnIrcError()
    {
        await using var server = await ChatServer.StartWithIrcAsync("--loopback-exempt", "false", "--max-connections-per-ip", "1");
        await using var alice = await server.ConnectIrcAsync("alice");

        await using var refused = IrcTestClient.Open(server.IrcPort);

        await refused.WaitUntilClosedAsync();
        Assert.Equal(["ERROR :Closing Link: *[irc] (Too many connections from your address)"], refused.Seen);
    }

    [Fact]
    public async Task ASilentClientIsPingedAndDroppedWhenItDoesNotAnswer()
    {
        await using var server = await ChatServer.StartWithIrcAsync("--irc-ping-interval", "2");
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.WaitForLineAsync("PING catchat");
        await alice.SendAsync("PONG catchat");
        await alice.WaitForLineAsync("PING catchat");
        await alice.WaitForLineAsync(line => line.StartsWith("ERROR :Closing Link: alice[irc] (Ping timeout", StringComparison.Ordinal), "the ping timeout");
        await alice.WaitUntilClosedAsync();
    }

    [Fact]
    public async Task AnAdministratorsKickAnnouncementAndBannerReachIrcUsers()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        using var http = server.CreateHttpClient(admin: true);

        (await http.PostAsJsonAsync("api/announce", new { message = "tea at five" })).EnsureSuccessStatusCode();
        await alice.WaitForLineAsync(":catchat NOTICE alice :Announcement: tea at five");
        (await http.PutAsJsonAsync("api/banner", new { banner = "New banner" })).EnsureSuccessStatusCode();
        await alice.WaitForLineAsync(":catchat NOTICE alice :- New banner");

        var users = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("api/users");
        var listed = Assert.Single(users.GetProperty("connected").EnumerateArray());
        Assert.Equal(("alice", "irc"), (listed.GetProperty("nick").GetString(), listed.GetProperty("door").GetString()));

        (await http.PostAsJsonAsync("api/users/alice/kick", new { reason = "spam" })).EnsureSuccessStatusCode();
        await alice.WaitForLineAsync(":catchat NOTICE alice :You have been kicked: spam");
        await alice.WaitForLineAsync(line => line.StartsWith("ERROR :Closing Link: alice[irc] (kicked: spam)", StringComparison.Ordinal), "the ERROR");
        await alice.WaitUntilClosedAsync();
    }
}
