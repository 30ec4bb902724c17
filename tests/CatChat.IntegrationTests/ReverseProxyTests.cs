using System.Net;
using System.Net.Http.Json;
using CatChat.Persistence;
using CatChat.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.IntegrationTests;

/// <summary>
/// Behind a reverse proxy: X-Forwarded-For and X-Forwarded-Proto count only from the proxies named by
/// --trusted-proxies. The tests' own loopback address plays the proxy.
/// </summary>
public sealed class ReverseProxyTests
{
    [Fact]
    public async Task ThrottleAndAuditSeeTheClientBehindATrustedProxy()
    {
        await using var server = await ChatServer.StartAsync("--trusted-proxies", "10.9.8.7, 127.0.0.1,::1");

        await FailSignInsAsync(server, "203.0.113.7", 5);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(server, "203.0.113.7", "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(server, "203.0.113.8", "wrong")).StatusCode);

        // nginx appends the address it saw; whatever the client wrote to the left of it is not believed.
        Assert.Equal(HttpStatusCode.OK, (await AnnounceAsync(server, "198.51.100.1, 203.0.113.9", "from behind the proxy")).StatusCode);
        Assert.Equal("admin@203.0.113.9", await LastAuditActorAsync(server));
    }

    [Theory]
    [InlineData(null)] // the default: no proxy is trusted
    [InlineData("10.9.8.0/24")] // proxies are named, but the request does not come from one
    public async Task ForwardedHeadersFromAnUntrustedPeerAreIgnored(string? trusted)
    {
        await using var server = await ChatServer.StartAsync(trusted is null ? [] : ["--trusted-proxies", trusted]);

        Assert.Equal(HttpStatusCode.OK, (await AnnounceAsync(server, "203.0.113.9", "not from a proxy")).StatusCode);
        Assert.Equal("admin@127.0.0.1", await LastAuditActorAsync(server));
        await FailSignInsAsync(server, "203.0.113.7", 5);

        // A new X-Forwarded-For does not escape the throttle: it counts the real peer, 127.0.0.1.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(server, "203.0.113.8", "wrong")).StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData(null, false)]
    public async Task SessionCookieIsSecureWhenATrustedProxySaysTheClientUsedHttps(string? trusted, bool secure)
    {
        await using var server = await ChatServer.StartAsync(trusted is null ? [] : ["--trusted-proxies", trusted]);

        using var response = await SignInAsync(server, "203.0.113.7", server.AdminToken, proto: "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("catchat_session=", StringComparison.Ordinal));
        Assert.Equal(secure, cookie.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task FailSignInsAsync(ChatServer server, string forwardedFor, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(server, forwardedFor, "wrong")).StatusCode);
        }
    }

    private static async Task<HttpResponseMessage> SignInAsync(ChatServer server, string forwardedFor, string token, string? proto = null)
    {
        using var client = server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/session") { Content = JsonContent.Create(new { token }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (proto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", proto);
        }

        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> AnnounceAsync(ChatServer server, string forwardedFor, string message)
    {
        using var admin = server.CreateHttpClient(admin: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/announce") { Content = JsonContent.Create(new { message }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await admin.SendAsync(request);
    }

    private static async Task<string> LastAuditActorAsync(ChatServer server)
    {
        await using var db = server.Services.GetRequiredService<Func<CatChatDbContext>>()();
        return await db.Audit.OrderByDescending(a => a.Id).Select(a => a.Actor).FirstAsync();
    }
}
