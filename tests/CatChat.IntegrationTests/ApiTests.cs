using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

public class ApiTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadJsonAsync(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task UserCountIsPublicButTheListNeedsTheAdminToken()
    {
        await using var server = await ChatServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        using var anonymous = server.CreateHttpClient();
        using var admin = server.CreateHttpClient(admin: true);

        var open = await ReadJsonAsync(await anonymous.GetAsync("api/users"));
        var full = await ReadJsonAsync(await admin.GetAsync("api/users"));

        Assert.Equal(1, open.GetProperty("users").GetInt32());
        Assert.False(open.TryGetProperty("connected", out _));
        var user = Assert.Single(full.GetProperty("connected").EnumerateArray().ToList());
        Assert.Equal("alice", user.GetProperty("nick").GetString());
        Assert.StartsWith("127.0.0.1:", user.GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, user.GetProperty("linesSent").GetInt64());
    }

    [Fact]
    public async Task RoomsAndTheirSizesArePublic()
    {
        await using var server = await ChatServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await bob.SendAsync("/join #cats");
        await bob.WaitForLineAsync(line => line.StartsWith("*** You joined #cats", StringComparison.Ordinal), "bob's join");
        using var anonymous = server.CreateHttpClient();

        var rooms = (await ReadJsonAsync(await anonymous.GetAsync("api/rooms"))).GetProperty("rooms").EnumerateArray()
            .Select(room => (room.GetProperty("name").GetString(), room.GetProperty("members").GetInt32()))
            .ToList();

        Assert.Equal([("#lobby", 2), ("#cats", 1)], rooms);
    }

    [Fact]
    public async Task BannerIsSetWithTheTokenAndTheNextLoginGetsIt()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.CreateHttpClient(admin: true);

        var response = await admin.PostAsync("api/banner", Json("""{"banner":"Meow!\nSecond \u001b[2Jline <b>x</b>"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal("SUCCESS", body.GetProperty("status").GetString());
        Assert.Equal("Meow!\nSecond line <b>x</b>", body.GetProperty("banner").GetString());
        await using var next = await server.ConnectAsync();
        Assert.Equal(["Meow!", "Second line <b>x</b>"], next.Seen.Take(2));
        using var anonymous = server.CreateHttpClient();
        Assert.Equal("Meow!\nSecond line <b>x</b>", (await ReadJsonAsync(await anonymous.GetAsync("api/banner"))).GetProperty("banner").GetString());
    }

    [Fact]
    public async Task PutSetsTheBannerToo()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.CreateHttpClient(admin: true);

        var response = await admin.PutAsync("api/banner", Json("""{"banner":"put works"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var next = await server.ConnectAsync();
        Assert.Equal("put works", next.Seen[0]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-token")]
    public async Task WritesWithoutTheRightTokenAreRefused(string? token)
    {
        await using var server = await ChatServer.StartAsync();
        using var client = server.CreateHttpClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        await AssertProblemAsync(await client.PostAsync("api/banner", Json("""{"banner":"hacked"}""")), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await client.PostAsync("api/announce", Json("""{"message":"hacked"}""")), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await client.PostAsync("api/users/x/kick", null), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/events", HttpCompletionOption.ResponseHeadersRead)).StatusCode);
        using var reader = server.CreateHttpClient();
        Assert.Equal("Welcome to CatChat!", (await ReadJsonAsync(await reader.GetAsync("api/banner"))).GetProperty("banner").GetString());
    }

    [Fact]
    public async Task RepeatedWrongTokensAreThrottled()
    {
        await using var server = await ChatServer.StartAsync();
        using var guesser = server.CreateHttpClient();
        guesser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "guess");

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.PostAsync("api/announce", Json("""{"message":"x"}"""))).StatusCode);
        }

        var throttled = await guesser.PostAsync("api/announce", Json("""{"message":"x"}"""));
        await AssertProblemAsync(throttled, HttpStatusCode.TooManyRequests);
        Assert.NotNull(throttled.Headers.RetryAfter);
    }

    [Theory]
    [InlineData("{\"banner\":", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("[1,2,3]", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"banner\":null}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("banner=x", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("{\"banner\":\"x\"}", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    public async Task MalformedBannerRequestsGetAProblemWithAMessage(string body, string contentType, HttpStatusCode status)
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.CreateHttpClient(admin: true);

        await AssertProblemAsync(await admin.PostAsync("api/banner", new StringContent(body, Encoding.UTF8, contentType)), status);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("healthz")).StatusCode);
    }

    [Theory]
    [InlineData("cursor=not-a-cursor")]
    [InlineData("cursor=AAAAAAAAAAAAAAAAAAAAAA")] // the right length, but line id 0
    [InlineData("cursor=%21%21%21%21%21%21%21%21%21%21%21%21%21%21%21%21%21%21%21%21%21%21")] // 22 characters, not base64url
    [InlineData("cursor=")]
    [InlineData("before=yesterday")]
    [InlineData("before=2026-11-25T12:00:00Z&cursor=CN9K66Gq4AAAAAAAAAAAAQ")] // a good cursor (noon, line 1), but with before
    public async Task MalformedHistoryPositionsGetAProblem(string query)
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.CreateHttpClient(admin: true);

        await AssertProblemAsync(await admin.GetAsync("api/history?" + query), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("501")]
    public async Task HistoryLimitOutsideOneTo500IsRefusedRatherThanClamped(string limit)
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.CreateHttpClient(admin: true);

        var response = await admin.GetAsync("api/history?limit=" + limit);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("'limit' is not a whole number from 1 to 500.", (await ReadJsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task BannerOverItsLimitIsRefused()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.CreateHttpClient(admin: true);

        var response = await admin.PostAsync("api/banner", JsonContent.Create(new { banner = new string('b', 4097) }));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task HugeBodyIsRefusedWith413AndTheServerStaysHealthy()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.CreateHttpClient(admin: true);

        var response = await admin.PostAsync("api/banner", JsonContent.Create(new { banner = new string('b', 200_000) }));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("healthz")).StatusCode);
    }

    [Fact]
    public async Task KickDisconnectsTheUserAndTellsTheRoomWhy()
    {
        await using var server = await ChatServer.StartAsync();
        await using var mallory = await server.ConnectAsync("mallory");
        await using var bob = await server.ConnectAsync("bob");
        using var admin = server.CreateHttpClient(admin: true);

        var response = await admin.PostAsync("api/users/Mallory/kick", Json("""{"reason":"spamming"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await mallory.WaitForLineAsync("*** You have been kicked: spamming");
        await mallory.WaitUntilClosedAsync();
        await bob.WaitForLineAsync("*** mallory has left (kicked: spamming)");
        await AssertProblemAsync(await admin.PostAsync("api/users/nobody/kick", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnAdminSeesARoomsMembersSetsItsTopicAnnouncesToItAndTakesSomeoneOutOfIt()
    {
        await using var server = await ChatServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await alice.SendAsync("/join #cats");
        await alice.WaitForLineAsync(line => line.StartsWith("*** You joined #cats", StringComparison.Ordinal), "alice's join");
        await bob.SendAsync("/join #cats");
        await alice.WaitForLineAsync("*** bob has joined #cats");

        using var anonymous = server.CreateHttpClient();
        using var admin = server.CreateHttpClient(admin: true);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/rooms/%23cats")).StatusCode);
        var detail = await ReadJsonAsync(await admin.GetAsync("api/rooms/%23CATS"));
        Assert.Equal("#cats", detail.GetProperty("name").GetString());
        Assert.Equal(["alice", "bob"], detail.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        var users = await ReadJsonAsync(await admin.GetAsync("api/users"));
        var aliceRooms = users.GetProperty("connected").EnumerateArray().Single(u => u.GetProperty("nick").GetString() == "alice").GetProperty("rooms");
        Assert.Equal(["#lobby", "#cats"], aliceRooms.EnumerateArray().Select(r => r.GetString()));

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("api/rooms/%23cats/topic", Json("""{"topic":"cats \u001b[31monly"}"""))).StatusCode);
        await bob.WaitForLineAsync(line => line.StartsWith("*** ", StringComparison.Ordinal) && line.EndsWith(" set the topic of #cats: cats only", StringComparison.Ordinal), "the topic");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("api/announce", Json("""{"message":"cats to the vet at 5","room":"#cats"}"""))).StatusCode);
        await alice.WaitForLineAsync("*** Announcement: cats to the vet at 5");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("api/users/bob/kick", Json("""{"reason":"off topic","room":"#cats"}"""))).StatusCode);
        await bob.WaitForLineAsync("*** You were removed from #cats: off topic");
        await alice.WaitForLineAsync("*** bob was removed from #cats (off topic)");
        await bob.SendAsync("still here");

        var carolSaw = await carol.LinesBeforeAsync("<bob> still here");
        Assert.DoesNotContain(carolSaw, line => line.Contains("vet", StringComparison.Ordinal) || line.Contains("#cats", StringComparison.Ordinal));
        await AssertProblemAsync(await admin.GetAsync("api/rooms/%23nowhere"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await admin.PostAsync("api/announce", Json("""{"message":"hi","room":"#nowhere"}""")), HttpStatusCode.NotFound);
        await AssertProblemAsync(await admin.PostAsync("api/users/bob/kick", Json("""{"room":"#cats"}""")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnnouncementReachesEveryone()
    {
        await using var server = await ChatServer.StartAsync();
        await using var alice = await server.ConnectAsync();
        await using var bob = await server.ConnectAsync();
        using var admin = server.CreateHttpClient(admin: true);

        var response = await admin.PostAsync("api/announce", Json("""{"message":"maintenance at 5 \u001b[5mnow"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await alice.WaitForLineAsync("*** Announcement: maintenance at 5 now");
        await bob.WaitForLineAsync("*** Announcement: maintenance at 5 now");
        await AssertProblemAsync(await admin.PostAsync("api/announce", Json("""{"message":"  "}""")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task EventStreamReportsJoinsNickChangesAndChatLinesWhenAsked()
    {
        await using var server = await ChatServer.StartAsync();
        using var admin = server.CreateHttpClient(admin: true);
        using var response = await admin.GetAsync("api/events?chat=true", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync());
        await ReadUntilAsync(events, "event: stats");

        await using var alice = await server.ConnectAsync("alice");
        await alice.SendAsync("hello <script>");

        await ReadUntilAsync(events, "event: join");
        var nick = await ReadUntilAsync(events, "event: nick");
        var message = await ReadUntilAsync(events, "event: message");
        Assert.Equal("alice", JsonDocument.Parse(nick["data: ".Length..]).RootElement.GetProperty("newNick").GetString());
        var line = JsonDocument.Parse(message["data: ".Length..]).RootElement;
        Assert.Equal("hello <script>", line.GetProperty("text").GetString());
        Assert.Equal("alice", line.GetProperty("nick").GetString());
    }

    [Fact]
    public async Task MetricsPassPromtool()
    {
        await using var server = await ChatServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.SendAsync("counted");
        await bob.WaitForLineAsync("<alice> counted");
        using var client = server.CreateHttpClient();

        var response = await client.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("catchat_connections 2\n", text, StringComparison.Ordinal);
        Assert.Contains("catchat_lines_delivered_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("catchat_broadcast_latency_seconds_count 1\n", text, StringComparison.Ordinal);
        var (exitCode, output) = await Tool.RunAsync("promtool", ["check", "metrics"], standardInput: text);
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task OpenApiDocumentIsServedWithABrowserAndPassesRedoclyLint()
    {
        await using var server = await ChatServer.StartAsync();
        using var client = server.CreateHttpClient();

        var document = await client.GetStringAsync("openapi/v1.json");
        var browser = await client.GetAsync("docs/index.html");

        Assert.Equal(HttpStatusCode.OK, browser.StatusCode);
        foreach (var path in new[] { "/api/users", "/api/banner", "/api/users/{nick}/kick", "/api/announce", "/api/events", "/metrics", "/healthz", "/healthz/live", "/api/history", "/api/history/{id}/redact" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }

        var file = Path.Combine(server.DataDirectory, "openapi.json");
        await File.WriteAllTextAsync(file, document);
        var (exitCode, output) = await Tool.RunAsync(Tool.Redocly, ["lint", "--format", "stylish", file]);
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task DashboardSessionWritesNeedTheAntiforgeryToken()
    {
        await using var server = await ChatServer.StartAsync();
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = server.HttpBase };

        await AssertProblemAsync(await browser.PostAsync("api/session", Json("""{"token":"wrong"}""")), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("api/session", JsonContent.Create(new { token = server.AdminToken }))).StatusCode);
        var cookie = handler.CookieContainer.GetCookies(server.HttpBase).Single(c => c.Name == "catchat_session");
        Assert.True(cookie.HttpOnly);

        await AssertProblemAsync(await browser.PostAsync("api/banner", Json("""{"banner":"forged"}""")), HttpStatusCode.BadRequest);
        var session = await ReadJsonAsync(await browser.GetAsync("api/session"));
        Assert.True(session.GetProperty("authenticated").GetBoolean());
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/banner") { Content = Json("""{"banner":"from the dashboard"}""") };
        request.Headers.Add("X-CSRF-TOKEN", session.GetProperty("csrfToken").GetString());

        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task SigningOutEndsTheDashboardSession()
    {
        await using var server = await ChatServer.StartAsync();
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = server.HttpBase };
        await browser.PostAsync("api/session", JsonContent.Create(new { token = server.AdminToken }));
        var csrf = (await ReadJsonAsync(await browser.GetAsync("api/session"))).GetProperty("csrfToken").GetString();

        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "api/session");
        signOut.Headers.Add("X-CSRF-TOKEN", csrf);
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(signOut)).StatusCode);

        Assert.False((await ReadJsonAsync(await browser.GetAsync("api/session"))).GetProperty("authenticated").GetBoolean());
        Assert.False((await ReadJsonAsync(await browser.GetAsync("api/users"))).TryGetProperty("connected", out _));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task AdminTokenFileIsReadableByItsOwnerOnly()
    {
        await using var server = await ChatServer.StartAsync();

        var mode = File.GetUnixFileMode(Path.Combine(server.DataDirectory, "admin-token"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.True(server.AdminToken.Length >= 40);
    }

    [Fact]
    public async Task PagesForbidInlineScript()
    {
        await using var server = await ChatServer.StartAsync();
        using var client = server.CreateHttpClient();

        var response = await client.GetAsync("api/banner");

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    private static async Task<string> ReadUntilAsync(StreamReader events, string eventLine)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (await events.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == eventLine)
            {
                return await events.ReadLineAsync(timeout.Token) ?? string.Empty;
            }
        }

        throw new Xunit.Sdk.XunitException($"The event stream ended before {eventLine}");
    }
}
