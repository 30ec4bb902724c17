using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CatChat.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.IntegrationTests;

/// <summary>The web chat's front door over real sockets: a WebSocket at /ws beside netcat users, under the same limits.</summary>
public sealed class WebChatTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task WebAndNetcatUsersSeeEachOthersLinesActionsAndPrivateMessages()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await WebChatClient.ConnectAsync(server, "alice");

        await bob.WaitForLineAsync("*** alice has joined");
        await alice.SendAsync(new { type = "say", text = "hello bob" });
        await bob.WaitForLineAsync("<alice> hello bob");
        await alice.WaitForAsync(m => m.Type() == "line" && m.String("nick") == "alice" && m.Text() == "hello bob", "her own line back");
        await alice.SendAsync(new { type = "me", text = "waves" });
        await bob.WaitForLineAsync("* alice waves");

        await bob.SendAsync("hi alice");
        var line = await alice.WaitForAsync(m => m.Type() == "line" && m.Text() == "hi alice", "bob's line");
        Assert.Equal("bob", line.String("nick"));
        Assert.Equal("#lobby", line.String("room"));

        await alice.SendAsync(new { type = "msg", to = "bob", text = "psst" });
        await bob.WaitForLineAsync("*alice* psst");
        await bob.SendAsync("/msg alice back");
        var whisper = await alice.WaitForAsync(m => m.Type() == "private" && m.Text() == "back", "bob's private message");
        Assert.Equal("bob", whisper.String("nick"));

        await alice.SendAsync(new { type = "quit", reason = "lunch" });
        await bob.WaitForLineAsync("*** alice has quit (lunch)");
        await alice.WaitUntilClosedAsync();
    }

    [Fact]
    public async Task AWebUserGetsTheBannerAndTheRoomsHistoryMembersAndFrontDoor()
    {
        await using var server = await ChatServer.StartAsync("--banner", "Hello cats\\nBe nice");
        await using var bob = await server.ConnectAsync("bob");
        await bob.SendAsync("before you came");

        await using var alice = await WebChatClient.ConnectAsync(server);
        var banner = await alice.WaitForAsync(m => m.Type() == "banner", "the banner");
        Assert.Equal(["Hello cats", "Be nice"], banner.GetProperty("lines").EnumerateArray().Select(l => l.GetString()));
        await Eventually.TrueAsync(() => server.Services.GetRequiredService<CatChat.Chat.ChatRoom>().Recent.Last(10).Any(e => e.Text == "before you came"), "bob's line in the history");

        await alice.SendAsync(new { type = "hello", nick = "alice" });
        await alice.WaitForAsync(m => m.Type() == "welcome" && m.String("nick") == "alice", "the welcome");
        var room = await alice.WaitForAsync(m => m.Type() == "room", "the room's state");
        Assert.Equal("#lobby", room.String("room"));
        Assert.True(room.GetProperty("current").GetBoolean());
        Assert.Contains("bob", room.GetProperty("members").EnumerateArray().Select(n => n.GetString()));
        Assert.Contains(room.GetProperty("history").EnumerateArray(), e => e.Text() == "before you came" && e.String("nick") == "bob");

        using var http = server.CreateHttpClient(admin: true);
        var users = await http.GetStringAsync("api/users");
        Assert.Contains("\"door\":\"web\"", users, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NickRulesAndTheSharedNamespaceHoldForWebUsers()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var web = await WebChatClient.ConnectAsync(server);

        await web.SendAsync(new { type = "hello", nick = "BOB" });
        await web.WaitForAsync(m => m.Type() == "error" && m.String("code") == "nick-taken", "nick taken");
        await web.SendAsync(new { type = "hello", nick = "admin" });
        await web.WaitForAsync(m => m.Type() == "error" && m.String("code") == "nick-invalid", "nick reserved");
        await web.SendAsync(new { type = "say", text = "too early" });
        await web.WaitForAsync(m => m.Type() == "error" && m.String("code") == "not-joined", "not joined");
        await web.SendAsync(new { type = "hello", nick = "carol" });
        await web.WaitForAsync(m => m.Type() == "welcome" && m.String("nick") == "carol", "the welcome");

        await bob.SendAsync("/nick carol");
        await bob.WaitForLineAsync("! Cannot change nickname to carol: the nickname carol is taken.");
    }

    [Fact]
    public async Task APageOfAnotherOriginIsRefusedWith403AndTheServersOwnOrAListedOneIsNot()
    {
        await using var server = await ChatServer.StartAsync("--web-chat-origins", "https://chat.example.com");

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => WebChatClient.ConnectAsync(server, origin: "https://evil.example.net"));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);

        await using var own = await WebChatClient.ConnectAsync(server, "own", origin: $"http://127.0.0.1:{server.HttpPort}");
        await using var listed = await WebChatClient.ConnectAsync(server, "listed", origin: "https://chat.example.com");
    }

    [Fact]
    public async Task APageOnARenamedHostIsRefusedUnlessATrustedProxyPassedItOn()
    {
        // DNS rebinding: the attacker's name now points here, so page and socket share an origin that is not ours.
        await using var direct = await ChatServer.StartAsync();
        Assert.Equal("403", await HandshakeStatusAsync(direct.HttpPort, $"attacker.example:{direct.HttpPort}", $"http://attacker.example:{direct.HttpPort}"));
        Assert.Equal("101", await HandshakeStatusAsync(direct.HttpPort, $"localhost:{direct.HttpPort}", $"http://localhost:{direct.HttpPort}"));

        // Behind a trusted reverse proxy, which answers only to the names it serves, the Host is believed.
        await using var proxied = await ChatServer.StartAsync("--trusted-proxies", "127.0.0.1");
        Assert.Equal("101", await HandshakeStatusAsync(proxied.HttpPort, "chat.example.com", "https://chat.example.com"));
        Assert.Equal("403", await HandshakeStatusAsync(proxied.HttpPort, "chat.example.com", "https://evil.example.net"));
    }

    // The status code of a WebSocket handshake sent with this Host and Origin.
    private static async Task<string> HandshakeStatusAsync(int port, string host, string origin)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET /ws HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var buffer = new byte[64];
        var read = await stream.ReadAtLeastAsync(buffer, 12);
        return Encoding.ASCII.GetString(buffer, 0, read).Split(' ')[1];
    }

    [Fact]
    public async Task BadMessagesAreAnsweredWithErrorsAndTheSocketStaysUsable()
    {
        await using var server = await ChatServer.StartAsync("--max-line-bytes", "100");
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await WebChatClient.ConnectAsync(server, "alice");

        await alice.SendRawAsync([1, 2, 3], WebSocketMessageType.Binary);
        await alice.WaitForAsync(m => m.Type() == "error" && m.String("code") == "binary", "binary refused");
        await alice.SendTextAsync("{not json");
        await alice.WaitForAsync(m => m.Type() == "error" && m.String("code") == "bad-message" && m.Text()!.Contains("JSON", StringComparison.Ordinal), "invalid JSON refused");
        await alice.SendTextAsync("""{"type":"dance"}""");
        await alice.WaitForAsync(m => m.Type() == "error" && m.Text()!.StartsWith("Unknown message type \"dance\"", StringComparison.Ordinal), "unknown type refused");
        await alice.SendTextAsync("[1,2]");
        await alice.WaitForAsync(m => m.Type() == "error" && m.String("code") == "bad-message", "an array refused");
        await alice.SendAsync(new { type = "say", text = new string('x', 101) });
        await alice.WaitForAsync(m => m.Type() == "error" && m.String("code") == "too-long", "an overlong line refused");
        await alice.SendAsync(new { type = "say", text = new string('y', 5000) });
        await alice.WaitForAsync(m => m.Type() == "error" && m.String("code") == "too-long", "an overlong message refused");
        await alice.SendTextAsync("{\"type\":\n\"say\",\r\n\"text\":\"multi-line JSON \\u001b[31mred\"}");

        await bob.WaitForLineAsync("<alice> multi-line JSON red");
    }

    [Fact]
    public async Task EarlierLinesOfARoomComeAPageAtATimeOldestFirstAndOnlyForItsMembers()
    {
        await using var server = await ChatServer.StartAsync("--flood-burst", "0");
        await using var bob = await server.ConnectAsync("bob");
        for (var i = 0; i < 70; i++)
        {
            await bob.SendAsync($"old line {i}");
        }

        await server.WaitUntilHistoryStoredAsync(72); // The 70 lines, after bob's arrival and rename.
        await using var alice = await WebChatClient.ConnectAsync(server, "alice");
        var shown = alice.Seen.Single(m => m.Type() == "room").GetProperty("history");
        var oldest = shown.EnumerateArray().First();
        Assert.Equal("old line 60", oldest.Text());

        var boundary = oldest.GetProperty("at").GetInt64();
        await alice.SendAsync(new { type = "history", room = "#lobby", before = boundary });
        var first = await alice.WaitForAsync(m => m.Type() == "history", "the first page");
        var cursor = first.GetProperty("cursor").GetString();
        Assert.NotNull(cursor);
        await alice.SendAsync(new { type = "history", room = "#lobby", cursor });
        var second = await alice.WaitForAsync(m => m.Type() == "history", "the second page");
        Assert.False(second.TryGetProperty("cursor", out _)); // The oldest page.

        // Oldest first, page after page; the lines of the boundary's millisecond come too (the page has those).
        var lines = second.GetProperty("lines").EnumerateArray().Concat(first.GetProperty("lines").EnumerateArray()).Where(l => l.String("kind") == "line").ToList();
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"old line {i}"), lines.Take(60).Select(l => l.Text()));
        Assert.All(lines.Skip(60), l => Assert.Equal(boundary, l.GetProperty("at").GetInt64()));
        Assert.Equal(50, first.GetProperty("lines").GetArrayLength());

        // A room one is not in, and a cursor the server did not make, are refused.
        await bob.SendAsync("/join #secret");
        await alice.SendAsync(new { type = "history", room = "#secret" });
        Assert.Equal("room", (await alice.WaitForAsync(m => m.Type() == "error", "a refusal for #secret")).String("code"));
        await alice.SendAsync(new { type = "history", cursor = "not-a-cursor" });
        Assert.Equal("bad-message", (await alice.WaitForAsync(m => m.Type() == "error", "a refusal for the cursor")).String("code"));
    }

    [Fact]
    public async Task APageOfLongLinesIsCutToFitTheSendQueueAndTheRestComesAfterIt()
    {
        await using var server = await ChatServer.StartAsync("--flood-burst", "0");
        await using var bob = await server.ConnectAsync("bob");

        // Fifty lines of 4,000 '<', each six bytes in JSON: 1.2 MB as one page, over the default 1 MiB send queue.
        for (var i = 0; i < 50; i++)
        {
            await bob.SendAsync($"{i:00} " + new string('<', 4000));
        }

        await server.WaitUntilHistoryStoredAsync(52);
        await using var alice = await WebChatClient.ConnectAsync(server, "alice");
        await alice.SendAsync(new { type = "history", room = "#lobby" });
        var first = await alice.WaitForAsync(m => m.Type() == "history", "the first page");
        var cursor = first.GetProperty("cursor").GetString();
        Assert.InRange(first.GetProperty("lines").GetArrayLength(), 1, 12);

        // Page after page, every line comes, and she is still connected to ask.
        var pages = new List<JsonElement> { first };
        while (cursor is not null)
        {
            await alice.SendAsync(new { type = "history", room = "#lobby", cursor });
            var page = await alice.WaitForAsync(m => m.Type() == "history" && !pages.Contains(m), "the next page");
            pages.Add(page);
            cursor = page.TryGetProperty("cursor", out var more) ? more.GetString() : null;
        }

        var said = pages.AsEnumerable().Reverse().SelectMany(p => p.GetProperty("lines").EnumerateArray()).Where(l => l.String("kind") == "line").Select(l => l.Text()![..2]);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"{i:00}"), said);
        await bob.SendAsync("still there?");
        await alice.WaitForAsync("line", "still there?");
    }

    [Fact]
    public async Task InvalidUtf8ClosesTheSocketWithInvalidPayloadData()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await WebChatClient.ConnectAsync(server, "alice");

        await alice.SendRawAsync([(byte)'{', 0xC3, 0x28, (byte)'}'], WebSocketMessageType.Text);

        await alice.WaitUntilClosedAsync();
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, alice.CloseStatus);
        await bob.WaitForLineAsync("*** alice has left (connection closed)");
    }

    [Fact]
    public async Task AFloodingWebUserIsSlowedThenDisconnected()
    {
        await using var server = await ChatServer.StartAsync("--flood-burst", "2", "--flood-rate", "20", "--flood-disconnect-after", "1");
        await using var bob = await server.ConnectAsync("bob");
        await using var flooder = await WebChatClient.ConnectAsync(server, "flooder");

        for (var i = 1; i <= 200; i++)
        {
            await flooder.SendAsync(new { type = "say", text = $"spam {i}" });
        }

        await flooder.WaitForAsync(m => m.Type() == "error" && m.String("code") == "flood" && m.Text()!.StartsWith("You are sending too fast", StringComparison.Ordinal), "the slow-down");
        await flooder.WaitForAsync(m => m.Type() == "error" && m.Text()!.StartsWith("Excess flood", StringComparison.Ordinal), "the disconnection");
        await bob.WaitForLineAsync("*** flooder has left (excess flood)");
        Assert.DoesNotContain("<flooder> spam 200", bob.Seen);
    }

    [Fact]
    public async Task AWebClientThatNeverReadsIsCutOffAndNobodyWaitsForIt()
    {
        await using var server = await ChatServer.StartAsync("--send-queue-bytes", "262144", "--flood-burst", "0");
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await WebChatClient.ConnectAsync(server, "bob");
        await using var stuck = await WebChatClient.ConnectAsync(server, reads: false);
        await stuck.SendAsync(new { type = "hello", nick = "stuck" });
        await alice.WaitForLineAsync("*** stuck has joined");
        var payload = new string('p', 1000);

        // 20 MB in batches bob keeps up with: far beyond what the kernel buffers and the 256 KiB queue hold.
        for (var batch = 0; batch < 400; batch++)
        {
            var lines = string.Concat(Enumerable.Range(0, 50).Select(i => $"{batch}.{i} {payload}\r\n"));
            await alice.SendRawAsync(Encoding.ASCII.GetBytes(lines));
            await bob.WaitForAsync(m => m.Type() == "line" && m.Text() == $"{batch}.49 {payload}", $"batch {batch}");
        }

        await alice.WaitForSeenAsync("*** stuck has left (send queue exceeded)");
    }

    [Fact]
    public async Task WebSocketsCountAgainstTheConnectionCapAndTheExcessIsToldWhy()
    {
        await using var server = await ChatServer.StartAsync("--max-connections", "1");
        await using var first = await WebChatClient.ConnectAsync(server, "first");

        await using var second = await WebChatClient.ConnectAsync(server);

        await second.WaitForAsync(m => m.Type() == "error" && m.Text() == "Server full: too many connections. Try again later.", "the refusal");
        await second.WaitUntilClosedAsync();
    }

    [Fact]
    public async Task KicksAnnouncementsAndBannerChangesReachWebUsers()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var mallory = await WebChatClient.ConnectAsync(server, "mallory");
        using var admin = server.CreateHttpClient(admin: true);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("api/announce", Json("""{"message":"vet at 5"}"""))).StatusCode);
        await mallory.WaitForAsync(m => m.Type() == "announcement" && m.Text() == "vet at 5", "the announcement");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("api/banner", Json("""{"banner":"New banner"}"""))).StatusCode);
        var banner = await mallory.WaitForAsync(m => m.Type() == "banner", "the new banner");
        Assert.Equal(["New banner"], banner.GetProperty("lines").EnumerateArray().Select(l => l.GetString()));

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("api/users/mallory/kick", Json("""{"reason":"spamming"}"""))).StatusCode);
        var kicked = await mallory.WaitForAsync(m => m.Type() == "kicked", "the kick");
        Assert.Equal("spamming", kicked.Text());
        await mallory.WaitUntilClosedAsync();
        await bob.WaitForLineAsync("*** mallory has left (kicked: spamming)");
    }

    [Fact]
    public async Task AWebUserJoinsSwitchesAndLeavesRooms()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await WebChatClient.ConnectAsync(server, "alice");
        await bob.SendAsync("/join #cats");
        await bob.WaitForLineAsync(line => line.Contains("joined #cats", StringComparison.Ordinal), "bob in #cats");

        await alice.SendAsync(new { type = "join", room = "#cats" });
        var cats = await alice.WaitForAsync(m => m.Type() == "room" && m.String("room") == "#cats", "the room #cats");
        Assert.Contains("bob", cats.GetProperty("members").EnumerateArray().Select(n => n.GetString()));
        await alice.SendAsync(new { type = "say", text = "meow" });
        await bob.WaitForLineAsync("<alice> meow");
        await alice.SendAsync(new { type = "join", room = "#lobby" });
        await alice.WaitForAsync(m => m.Type() == "room" && m.String("room") == "#lobby" && m.GetProperty("current").GetBoolean(), "back in #lobby");
        await alice.SendAsync(new { type = "part", room = "#cats" });
        await alice.WaitForAsync(m => m.Type() == "parted" && m.String("room") == "#cats" && m.String("current") == "#lobby", "out of #cats");
        await bob.WaitForLineAsync(line => line.Contains("alice has left #cats", StringComparison.Ordinal), "alice leaving #cats");
    }

    [Fact]
    public async Task WithTheWebChatOffThePageAndTheSocketAre404()
    {
        await using var server = await ChatServer.StartAsync("--web-chat", "false");
        using var http = server.CreateHttpClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("chat/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("ws")).StatusCode);
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => WebChatClient.ConnectAsync(server));
        Assert.Contains("404", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePageIsServedWithAPolicyThatAllowsNoInlineScript()
    {
        await using var server = await ChatServer.StartAsync();
        using var http = server.CreateHttpClient();

        var page = await http.GetAsync("chat/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("chat.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var withoutSlash = await http.GetAsync("chat");
        Assert.Equal(HttpStatusCode.OK, withoutSlash.StatusCode);
        Assert.Equal("/chat/", withoutSlash.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task AWebUserOnOneNodeTalksWithANetcatUserOnAnother()
    {
        await using var cluster = await ChatCluster.StartAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var bob = await b.ConnectAsync("bob");
        await cluster.WaitUntilWholeAsync();
        await using var alice = await WebChatClient.ConnectAsync(a, "alice");
        await bob.WaitForLineAsync("*** alice has joined");

        await alice.SendAsync(new { type = "say", text = "hello from a" });
        await bob.WaitForLineAsync("<alice> hello from a");
        await bob.SendAsync("hello from b");
        await alice.WaitForAsync("line", "hello from b");
        await bob.SendAsync("/msg alice psst");
        await alice.WaitForAsync("private", "psst");

        using var http = b.CreateHttpClient(admin: true);
        Assert.Contains("\"door\":\"web\"", await http.GetStringAsync("api/users"), StringComparison.Ordinal);
    }
}
