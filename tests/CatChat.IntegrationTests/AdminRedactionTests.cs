using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CatChat.Persistence;
using CatChat.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.IntegrationTests;

/// <summary>
/// <c>POST /api/history/{id}/redact</c>: an administrator takes back a line by its message id, from the stored history,
/// the recent lines and the screens of IRC clients that follow redactions, on every node; audited first.
/// </summary>
public sealed class AdminRedactionTests
{
    private static readonly string[] Redacting = ["message-tags", "echo-message", "draft/message-redaction"];

    [Fact]
    public async Task AnAdminTakesBackANetcatUsersLineFromIrcClientsTheStoredHistoryAndNewcomers()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice", Redacting);
        await alice.JoinAsync("#lobby");
        await using var carol = await server.ConnectAsync("carol");
        await carol.SendAsync("you are all kibble thieves");
        var said = await alice.WaitForLineAsync(":carol!nc@netcat PRIVMSG #lobby :you are all kibble thieves");
        var id = IrcTestClient.Tag(said, "msgid")!;

        // carol's arrival, her rename and her line (an IRC client in no room yet is not part of the history).
        await server.WaitUntilHistoryStoredAsync(3);
        using var admin = server.CreateHttpClient(admin: true);
        Assert.Contains(id, await StoredIdsAsync(admin));

        var response = await admin.PostAsync($"api/history/{id}/redact", Json("""{"reason":"abusive \u001b[31mline"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal("SUCCESS", body.GetProperty("status").GetString());
        Assert.Equal(1, body.GetProperty("storedLinesDeleted").GetInt32());
        Assert.True(body.GetProperty("inRecentLines").GetBoolean());
        await alice.WaitForLineAsync($":catchat REDACT #lobby {id} :abusive line");
        Assert.DoesNotContain(id, await StoredIdsAsync(admin));

        // A newcomer is shown the recent lines without it.
        await carol.SendAsync("sorry");
        await using var erin = await server.ConnectAsync("erin");
        await erin.WaitForSeenAsync(line => line.EndsWith("<carol> sorry", StringComparison.Ordinal), "the replayed last line");
        Assert.DoesNotContain(erin.Seen, line => line.Contains("kibble", StringComparison.Ordinal));

        var audit = await LastAuditAsync(server);
        Assert.Equal(("redact", $"#lobby {id}: abusive line"), (audit.Action, audit.Detail));
        Assert.Equal("admin@127.0.0.1", audit.Actor);

        // Gone everywhere, it is no longer known.
        await AssertProblemAsync(await admin.PostAsync($"api/history/{id}/redact", null), HttpStatusCode.NotFound, "No such line");
    }

    [Fact]
    public async Task ALineOfAnotherRoomIsTakenBackByTheRoomItsHistoryNames()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice", Redacting);
        await alice.JoinAsync("#Cats"); // The room keeps this spelling; the history files it under "#cats".
        await using var carol = await server.ConnectAsync("carol");
        await carol.SendAsync("/join #cats");
        await alice.WaitForLineAsync(":carol!nc@netcat JOIN #Cats");
        await carol.SendAsync("hiss");
        var id = IrcTestClient.Tag(await alice.WaitForLineAsync(":carol!nc@netcat PRIVMSG #Cats :hiss"), "msgid")!;
        await server.WaitUntilHistoryStoredAsync(3);
        using var admin = server.CreateHttpClient(admin: true);
        var stored = (await ReadJsonAsync(await admin.GetAsync("api/history?room=%23cats"))).GetProperty("lines").EnumerateArray()
            .Single(line => line.GetProperty("messageId").GetString() == id);
        var roomKey = stored.GetProperty("room").GetString();
        Assert.Equal("#cats", roomKey);

        var response = await admin.PostAsJsonAsync($"api/history/{id}/redact", new { room = roomKey });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await alice.WaitForLineAsync($":catchat REDACT #Cats {id}");
        Assert.DoesNotContain(id, await StoredIdsAsync(admin, "%23cats"));
        Assert.Equal($"#Cats {id}", (await LastAuditAsync(server)).Detail);
    }

    [Fact]
    public async Task ARedactionNeedsTheAdminTokenAWellFormedIdAndRoomAndAShortReasonAndAnUnknownLineIs404()
    {
        await using var server = await ChatServer.StartAsync();
        using var anonymous = server.CreateHttpClient();
        using var admin = server.CreateHttpClient(admin: true);

        await AssertProblemAsync(await anonymous.PostAsync("api/history/abc123/redact", null), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await admin.PostAsync("api/history/bad%20id/redact", null), HttpStatusCode.BadRequest, "Invalid message id");
        await AssertProblemAsync(await admin.PostAsync("api/history/caf%C3%A9/redact", null), HttpStatusCode.BadRequest, "Invalid message id");
        await AssertProblemAsync(await admin.PostAsync($"api/history/{new string('a', 65)}/redact", null), HttpStatusCode.BadRequest, "Invalid message id");
        await AssertProblemAsync(await admin.PostAsync("api/history/abc123/redact", Json("""{"room":"cats"}""")), HttpStatusCode.BadRequest, "Invalid room");
        await AssertProblemAsync(
            await admin.PostAsJsonAsync("api/history/abc123/redact", new { reason = new string('r', 301) }), HttpStatusCode.BadRequest, "Invalid reason");
        await AssertProblemAsync(await admin.PostAsync("api/history/abc123/redact", null), HttpStatusCode.NotFound, "No such line");
        await AssertProblemAsync(
            await admin.PostAsync($"api/history/{new string('a', 64)}/redact", Json("""{"room":"#nowhere","reason":"r"}""")), HttpStatusCode.NotFound, "No such line");

        // Only requests that passed the checks are audited.
        await using var db = server.Services.GetRequiredService<Func<CatChatDbContext>>()();
        Assert.Equal(2, await db.Audit.CountAsync(a => a.Action == "redact"));
    }

    [Fact]
    public async Task ADashboardSessionRedactsOnlyWithTheAntiforgeryToken()
    {
        await using var server = await ChatServer.StartAsync();
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = server.HttpBase };
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("api/session", JsonContent.Create(new { token = server.AdminToken }))).StatusCode);

        await AssertProblemAsync(await browser.PostAsync("api/history/abc123/redact", Json("{}")), HttpStatusCode.BadRequest, "Missing or invalid anti-forgery token");
        var csrf = (await ReadJsonAsync(await browser.GetAsync("api/session"))).GetProperty("csrfToken").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/history/abc123/redact") { Content = Json("{}") };
        request.Headers.Add("X-CSRF-TOKEN", csrf);

        await AssertProblemAsync(await browser.SendAsync(request), HttpStatusCode.NotFound, "No such line");
    }

    [Fact]
    public async Task ARedactionOnOneNodeReachesIrcClientsAndTheStoredHistoryOfTheOther()
    {
        await using var cluster = await ChatCluster.StartWithIrcAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var alice = await a.ConnectIrcAsync("alice", Redacting);
        await using var bob = await b.ConnectIrcAsync("bob", Redacting);
        await alice.JoinAsync("#lobby");
        await bob.JoinAsync("#lobby");
        await bob.JoinAsync("#far"); // A room with nobody on node a.
        await alice.WaitForLineAsync(":bob!~bob@irc JOIN #lobby");

        await bob.SendAsync("PRIVMSG #lobby :said on b");
        var id = IrcTestClient.Tag(await alice.WaitForLineAsync(":bob!~bob@irc PRIVMSG #lobby :said on b"), "msgid")!;
        await bob.SendAsync("PRIVMSG #far :far away");
        var farId = IrcTestClient.Tag(await bob.WaitForLineAsync(":bob!~bob@irc PRIVMSG #far :far away"), "msgid")!;

        // The node a line was said on stores it.
        await b.WaitUntilHistoryStoredAsync(2);
        using var adminOfA = a.CreateHttpClient(admin: true);
        using var adminOfB = b.CreateHttpClient(admin: true);
        Assert.Contains(id, await StoredIdsAsync(adminOfB));

        var response = await adminOfA.PostAsync($"api/history/{id}/redact", Json("""{"reason":"spam"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal(0, body.GetProperty("storedLinesDeleted").GetInt32());
        Assert.True(body.GetProperty("inRecentLines").GetBoolean());
        await bob.WaitForLineAsync($":catchat REDACT #lobby {id} :spam");
        await alice.WaitForLineAsync($":catchat REDACT #lobby {id} :spam");
        await Eventually.TrueAsync(async () => !(await StoredIdsAsync(adminOfB)).Contains(id), "the line gone from node b's history");

        // Node a neither stored nor saw the line of #far: 404, but node b takes it back all the same.
        await AssertProblemAsync(
            await adminOfA.PostAsync($"api/history/{farId}/redact", Json("""{"room":"#far"}""")), HttpStatusCode.NotFound, "No such line");
        await bob.WaitForLineAsync($":catchat REDACT #far {farId}");
        await Eventually.TrueAsync(async () => !(await StoredIdsAsync(adminOfB, "%23far")).Contains(farId), "the #far line gone from node b's history");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? title = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadJsonAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        if (title is not null)
        {
            Assert.Equal(title, problem.GetProperty("title").GetString());
        }
    }

    // The message ids of a room's stored lines (the default room's unless told; # as %23).
    private static async Task<IReadOnlyList<string?>> StoredIdsAsync(HttpClient admin, string? room = null)
    {
        var history = await ReadJsonAsync(await admin.GetAsync(room is null ? "api/history" : $"api/history?room={room}"));
        return [.. history.GetProperty("lines").EnumerateArray().Select(line => line.TryGetProperty("messageId", out var id) ? id.GetString() : null)];
    }

    private static async Task<AuditRow> LastAuditAsync(ChatServer server)
    {
        await using var db = server.Services.GetRequiredService<Func<CatChatDbContext>>()();
        return await db.Audit.OrderByDescending(row => row.Id).FirstAsync();
    }
}
