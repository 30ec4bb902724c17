using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CatChat.Chat;
using CatChat.Sessions;
using CatChat.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CatChat.IntegrationTests;

/// <summary>Two or three CatChat nodes joined through a real redis-server: one chat across them.</summary>
public class ClusterTests
{
    [Fact]
    public async Task LinesActionsNicksJoinsAndLeavesReachTheOtherNodeExactlyOnce()
    {
        await using var cluster = await ChatCluster.StartAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var bob = await b.ConnectAsync("bob");
        await using var alice = await a.ConnectAsync("alice");
        await bob.WaitForLineAsync(line => line.EndsWith(" is now known as alice", StringComparison.Ordinal), "alice's rename");

        await alice.SendAsync("hello from a");
        await alice.SendAsync("/me waves");
        await bob.SendAsync("hello from b");
        await alice.WaitForLineAsync("<bob> hello from b");
        await alice.SendAsync("/quit lunch");

        var seen = await bob.LinesBeforeAsync("*** alice has quit (lunch)");
        Assert.Single(seen, line => line.EndsWith(" has joined", StringComparison.Ordinal) && line.StartsWith("*** guest-", StringComparison.Ordinal));
        Assert.Single(seen, line => line.EndsWith(" is now known as alice", StringComparison.Ordinal));
        Assert.Single(seen, line => line == "<alice> hello from a");
        Assert.Single(seen, line => line == "* alice waves");
        Assert.DoesNotContain("<bob> hello from b", seen); // No echo, from either node.
        Assert.Equal(1, bob.Seen.Count(line => line == "*** alice has quit (lunch)"));
    }

    [Fact]
    public async Task FiveHundredLinesFromOneClientArriveInOrderOnTheOtherNode()
    {
        await using var cluster = await ChatCluster.StartAsync(2, "--flood-burst", "0");
        await using var bob = await cluster.Nodes[1].ConnectAsync("bob");
        await using var alice = await cluster.Nodes[0].ConnectAsync("alice");
        await bob.WaitForLineAsync(line => line.EndsWith(" is now known as alice", StringComparison.Ordinal), "alice's rename");

        var text = string.Concat(Enumerable.Range(0, 500).Select(i => string.Create(CultureInfo.InvariantCulture, $"line {i}\r\n")));
        await alice.SendRawAsync(System.Text.Encoding.UTF8.GetBytes(text));
        await alice.SendAsync("done");

        var seen = await bob.LinesBeforeAsync("<alice> done");
        var lines = seen.Where(line => line.StartsWith("<alice> line ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, 500).Select(i => string.Create(CultureInfo.InvariantCulture, $"<alice> line {i}")), lines);
    }

    [Fact]
    public async Task TwoNodesRacingForTheSameNicknameGiveItToExactlyOne()
    {
        await using var cluster = await ChatCluster.StartAsync();
        for (var round = 0; round < 10; round++)
        {
            await using var left = await cluster.Nodes[0].ConnectAsync();
            await using var right = await cluster.Nodes[1].ConnectAsync();
            var nick = "racer" + round.ToString(CultureInfo.InvariantCulture);

            await Task.WhenAll(left.SendAsync("/nick " + nick), right.SendAsync("/nick " + nick));

            var outcomes = await Task.WhenAll(OutcomeAsync(left, nick), OutcomeAsync(right, nick));
            Assert.Single(outcomes, won => won);
        }
    }

    [Fact]
    public async Task PrivateMessagesAndKicksReachAUserOnTheOtherNode()
    {
        await using var cluster = await ChatCluster.StartAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var alice = await a.ConnectAsync("alice");
        await using var bob = await b.ConnectAsync("bob");
        await WaitUntilKnownAsync(alice, "bob", a);

        await alice.SendAsync("/msg bob psst");
        await alice.WaitForLineAsync("-> *bob* psst");
        await bob.WaitForLineAsync("*alice* psst");

        using var admin = a.CreateHttpClient(admin: true);
        var kick = await admin.PostAsJsonAsync("api/users/bob/kick", new { reason = "spamming" });
        Assert.Equal(HttpStatusCode.OK, kick.StatusCode);
        await bob.WaitForLineAsync("*** You have been kicked: spamming");
        await bob.WaitUntilClosedAsync();
        await alice.WaitForLineAsync("*** bob has left (kicked: spamming)");
    }

    [Fact]
    public async Task WhoAndTheUsersApiCountEveryNodeWithABreakdown()
    {
        await using var cluster = await ChatCluster.StartAsync(3);
        await using var alice = await cluster.Nodes[0].ConnectAsync("alice");
        await using var bob = await cluster.Nodes[1].ConnectAsync("bob");
        await using var carol = await cluster.Nodes[2].ConnectAsync("carol");
        await using var dave = await cluster.Nodes[2].ConnectAsync("dave");

        // What each node says of the others comes in the order it said it (carol before dave), but the nodes' words
        // can cross: a must know bob and dave, b alice and dave (bob sees alice's rename live or in the replay).
        await WaitUntilKnownAsync(alice, "bob", cluster.Nodes[0]);
        await WaitUntilKnownAsync(alice, "dave", cluster.Nodes[0]);
        await WaitUntilKnownAsync(bob, "alice", cluster.Nodes[1]);
        await WaitUntilKnownAsync(bob, "dave", cluster.Nodes[1]);

        await alice.SendAsync("/who");

        await alice.WaitForLineAsync("*** 4 users online: alice, bob, carol, dave");
        await alice.WaitForLineAsync("*** By server: a 1 (this one), b 1, c 2");
        using var anonymous = cluster.Nodes[1].CreateHttpClient();
        Assert.Equal(4, (await anonymous.GetFromJsonAsync<JsonElement>("api/users")).GetProperty("users").GetInt32());
        using var admin = cluster.Nodes[1].CreateHttpClient(admin: true);
        var users = await admin.GetFromJsonAsync<JsonElement>("api/users");
        var nodes = users.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("node").GetString()!, n => n.GetProperty("users").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1, ["c"] = 2 }, nodes);
        var dave2 = users.GetProperty("connected").EnumerateArray().Single(u => u.GetProperty("nick").GetString() == "dave");
        Assert.Equal("c", dave2.GetProperty("node").GetString());
    }

    [Fact]
    public async Task AnAnnouncementThroughOneNodeReachesEveryUserOfEveryNodeOnce()
    {
        await using var cluster = await ChatCluster.StartAsync(3);
        var users = new List<TcpChatClient>();
        foreach (var node in cluster.Nodes)
        {
            users.Add(await node.ConnectAsync());
            users.Add(await node.ConnectAsync());
        }

        using var admin = cluster.Nodes[1].CreateHttpClient(admin: true);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/announce", new { message = "restart at 5pm" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/announce", new { message = "marker" })).StatusCode);

        foreach (var user in users)
        {
            var seen = await user.LinesBeforeAsync("*** Announcement: marker");
            Assert.Single(seen, line => line == "*** Announcement: restart at 5pm");
            await user.DisposeAsync();
        }
    }

    [Fact]
    public async Task ANodeThatShutsDownTakesItsUsersWithItAtOnce()
    {
        await using var cluster = await ChatCluster.StartAsync();
        await using var alice = await cluster.Nodes[0].ConnectAsync("alice");
        var c = await ChatServer.StartAsync(["--redis", cluster.Redis.Address, "--node-name", "c", .. ChatCluster.FastHeartbeat]);
        await using var bob = await c.ConnectAsync("bob");
        await alice.WaitForLineAsync(line => line.EndsWith(" is now known as bob", StringComparison.Ordinal), "bob's rename");

        await c.DisposeAsync(); // A normal stop, as on SIGTERM: bob is still connected.

        await alice.WaitForLineAsync("*** bob has left (server c shut down)");
        var backplane = ChatCluster.BackplaneOf(cluster.Nodes[0]);
        Assert.DoesNotContain(backplane.Cluster.Nodes, node => node.Name == "c");
        Assert.Null(backplane.Cluster.Find("bob"));
    }

    [Fact]
    public async Task WithPresenceNoticesOffUsersOfOtherNodesStillCountAndGetMessages()
    {
        await using var cluster = await ChatCluster.StartAsync(2, "--presence-notices", "false");
        await using var alice = await cluster.Nodes[0].ConnectAsync("alice");
        await using var bob = await cluster.Nodes[1].ConnectAsync("bob");
        await WaitUntilKnownAsync(alice, "bob", cluster.Nodes[0]); // Renames are told even with presence notices off.

        await alice.SendAsync("/who");
        await alice.WaitForLineAsync("*** 2 users online: alice, bob");
        await alice.SendAsync("/msg bob quietly");
        await bob.WaitForLineAsync("*alice* quietly");
        await bob.DisposeAsync();

        // bob leaves quietly: no notice says when node a lets him go. But node b queues his leave before it logs the
        // closed connection, and an announcement made through b after that reaches a after the leave, in b's order.
        await cluster.Nodes[1].Log.WaitForAsync(nameof(SessionLog.Disconnected), entry => entry.Message.Contains("(bob) closed", StringComparison.Ordinal));
        using var admin = cluster.Nodes[1].CreateHttpClient(admin: true);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("api/announce", new { message = "after bob" })).StatusCode);
        await alice.WaitForLineAsync("*** Announcement: after bob");
        Assert.Equal(0, ChatCluster.BackplaneOf(cluster.Nodes[0]).Cluster.Count);
        Assert.DoesNotContain(alice.Seen, line => line.Contains(" has joined", StringComparison.Ordinal) || line.Contains(" has left", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABannerSetThroughOneNodesApiAppliesOnEveryNode()
    {
        await using var cluster = await ChatCluster.StartAsync();
        using var admin = cluster.Nodes[0].CreateHttpClient(admin: true);
        var room = cluster.Nodes[1].Services.GetRequiredService<ChatRoom>();
        using var events = room.Events.Subscribe(includeChatLines: false);

        var response = await admin.PostAsJsonAsync("api/banner", new { banner = "Meow from a\nline two" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Node b sets the banner, then tells its event subscribers (the dashboard's feed) that it changed.
        await NextEventAsync(events, ChatEventKind.Banner);
        Assert.Equal(["Meow from a", "line two"], room.Banner.Lines);
        await using var visitor = await cluster.Nodes[1].ConnectAsync();
        Assert.Equal(["Meow from a", "line two"], visitor.Seen.Take(2));
    }

    [Fact]
    public async Task AnIrcKickOfAUserOnAnotherNodeWithAReasonOfFormattingCodesOnlyStillKicks()
    {
        await using var cluster = await ChatCluster.StartWithIrcAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var alice = await a.ConnectIrcAsync("alice");
        await alice.JoinAsync("#cats");
        await using var bob = await b.ConnectIrcAsync("bob");
        await bob.JoinAsync("#cats");
        await alice.WaitForLineAsync(":bob!~bob@irc JOIN #cats"); // Node a knows bob is in #cats.

        // Bold on, bold off: nothing is left of the reason once its formatting is stripped.
        await alice.SendAsync("KICK #cats bob :\u0002\u0002");

        await bob.WaitForLineAsync(":alice!~alice@irc KICK #cats bob :alice");
        Assert.Equal(0, ChatCluster.BackplaneOf(b).Metrics.Rejected);
    }

    [Fact]
    public async Task MessagesFromTheBusAreSanitisedAndMalformedOnesDroppedAndCounted()
    {
        await using var cluster = await ChatCluster.StartAsync(1);
        await using var alice = await cluster.Nodes[0].ConnectAsync("alice");
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(cluster.Redis.Address);
        var bus = redis.GetSubscriber();
        var channel = StackExchange.Redis.RedisChannel.Sharded("catchat:chat"); // Redis 7: CatChat uses sharded pub/sub.
        string[] forged =
        [
            """{"v":1,"kind":"say","node":"evil-1","name":"evil","seq":1,"nick":"mallory","text":"\u001b[2Jhi\u0007 there\r\n*** fake"}""",
            "not json at all",
            """{"v":1,"kind":"say","node":"evil-1","name":"evil","seq":2,"nick":"mal lory","text":"x"}""",
            """{"v":1,"kind":"leave","node":"evil-1","name":"evil","seq":3,"cid":"c1","nick":"mallory","text":"*** Announcement: fake"}""",
            """{"v":2,"kind":"say","node":"evil-1","name":"evil","seq":4,"nick":"mallory","text":"from the future"}""",
            """{"v":1,"kind":"shout","node":"evil-1","name":"evil","seq":5,"nick":"mallory","text":"unknown kind"}""",
            """{"v":1,"kind":"say","node":"evil 1","name":"evil","seq":6,"nick":"mallory","text":"bad node"}""",
            """{"v":1,"kind":"say","node":"evil-1","name":"evil","seq":7,"nick":"mallory","text":"marker"}""",
        ];
        foreach (var envelope in forged)
        {
            await bus.PublishAsync(channel, envelope);
        }

        var seen = await alice.LinesBeforeAsync("<mallory> marker");
        Assert.Equal(["<mallory> hi there*** fake"], seen.Where(line => line.Contains("mallory", StringComparison.Ordinal) || line.Contains("fake", StringComparison.Ordinal) || line.Contains("lory", StringComparison.Ordinal)));
        Assert.Equal(6, ChatCluster.BackplaneOf(cluster.Nodes[0]).Metrics.Rejected);
        using var http = cluster.Nodes[0].CreateHttpClient();
        Assert.Contains("catchat_backplane_rejected_total 6", await http.GetStringAsync("metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhowasOnOneNodeRemembersAnIrcUserWhoLeftAnother()
    {
        await using var cluster = await ChatCluster.StartWithIrcAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var alice = await a.ConnectIrcAsync("alice");
        var bob = await b.ConnectIrcAsync("bob");
        await Eventually.TrueAsync(() => ChatCluster.BackplaneOf(a).Cluster.Find("bob") is not null, "a knowing bob");
        await bob.SendAsync("QUIT :bye");
        await bob.DisposeAsync();
        await Eventually.TrueAsync(() => ChatCluster.BackplaneOf(a).Cluster.Find("bob") is null, "a knowing bob left");

        await alice.SendAsync("WHOWAS bob");

        await alice.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "314" && line.Contains(" bob ~bob irc * ", StringComparison.Ordinal), "314 for bob");
        await alice.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "312" && line.Contains(" bob b :", StringComparison.Ordinal), "312 naming node b");
        await alice.WaitForNumericAsync("369");
    }

    // Waits until the node of `client` knows `nick`, a user of another node, from the rename every user is told of:
    // a node applies a rename to its view of the cluster before it tells its users (or keeps it for the replay).
    internal static async Task WaitUntilKnownAsync(TcpChatClient client, string nick, ChatServer node)
    {
        await client.WaitForSeenAsync(line => line.EndsWith(" is now known as " + nick, StringComparison.Ordinal), nick + "'s rename");
        Assert.NotNull(ChatCluster.BackplaneOf(node).Cluster.Find(nick));
    }

    // The next event of `kind` a subscriber gets; fails after the patience of a line.
    private static async Task<ChatEvent> NextEventAsync(ChatEventHub.Subscription events, ChatEventKind kind)
    {
        using var timeout = new CancellationTokenSource(LineCollector.Patience);
        try
        {
            await foreach (var chatEvent in events.Reader.ReadAllAsync(timeout.Token))
            {
                if (chatEvent.Kind == kind)
                {
                    return chatEvent;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new Xunit.Sdk.XunitException($"No {kind} event came.");
    }

    // True when this client got the nickname, false when it was refused; nothing else counts.
    private static async Task<bool> OutcomeAsync(TcpChatClient client, string nick)
    {
        var won = $"*** {client.Nick} is now known as {nick}";
        var line = await client.WaitForLineAsync(
            line => line == won || line.StartsWith($"! Cannot change nickname to {nick}: the nickname {nick} is taken", StringComparison.Ordinal),
            "the outcome of /nick " + nick);
        return line == won;
    }
}
