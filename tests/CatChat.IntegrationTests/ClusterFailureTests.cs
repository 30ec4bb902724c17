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

/// <summary>A cluster when something fails: Redis down, away or refusing the password, a node killed or frozen.</summary>
public class ClusterFailureTests
{
    [Fact]
    public async Task ANodeStartedWhileRedisIsDownServesAloneAndJoinsOnceRedisIsUp()
    {
        await using var redis = RedisServer.NotStarted();
        await using var a = await ChatServer.StartAsync(["--redis", redis.Address, "--node-name", "a", .. ChatCluster.FastHeartbeat]);
        await using var alice = await a.ConnectAsync();
        await using var carol = await a.ConnectAsync();
        using var http = a.CreateHttpClient();
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "degraded"), await BackplaneHealthAsync(http));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz/live")).StatusCode);
        await alice.SendAsync("alone");
        await carol.WaitForLineAsync($"<{alice.Nick}> alone");

        await redis.StartAgainAsync();

        await alice.WaitForLineAsync("*** The chat is whole again: your lines reach every server.");
        await using var b = await ChatServer.StartAsync(["--redis", redis.Address, "--node-name", "b", .. ChatCluster.FastHeartbeat]);
        await using var bob = await b.ConnectAsync();
        await alice.SendAsync("together");
        await bob.WaitForLineAsync($"<{alice.Nick}> together");
    }

    [Fact]
    public async Task WhileRedisIsAwayEachNodeChatsAloneAndSaysSoThenRejoins()
    {
        await using var cluster = await ChatCluster.StartAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var alice = await a.ConnectAsync("alice");
        await using var carol = await a.ConnectAsync("carol");
        await using var bob = await b.ConnectAsync("bob");
        await ClusterTests.WaitUntilKnownAsync(alice, "bob", a);

        await cluster.Redis.StopAsync();

        const string split = "*** The chat is split: your lines now reach only the users on this server";
        await alice.WaitForLineAsync(line => line.StartsWith(split, StringComparison.Ordinal), "the split notice");
        await bob.WaitForLineAsync(line => line.StartsWith(split, StringComparison.Ordinal), "the split notice");
        await alice.SendAsync("during the split");
        await carol.WaitForLineAsync("<alice> during the split");
        using var http = a.CreateHttpClient();
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "degraded"), await BackplaneHealthAsync(http));
        Assert.Contains("catchat_backplane_up 0", await http.GetStringAsync("metrics"), StringComparison.Ordinal);
        await alice.SendAsync("/nick alicia");
        await alice.WaitForLineAsync(line => line.StartsWith("! Cannot change nickname to alicia: the other servers cannot be reached", StringComparison.Ordinal), "the refusal");

        await cluster.Redis.StartAgainAsync();

        await alice.WaitForLineAsync("*** The chat is whole again: your lines reach every server.");
        await bob.WaitForLineAsync("*** The chat is whole again: your lines reach every server.");

        // Each node reads the others' users back from Redis when it hears from them again; that is logged at Debug
        // only, so nothing a test sees announces it: look.
        await cluster.WaitUntilWholeAsync();
        await Eventually.TrueAsync(() => ChatCluster.BackplaneOf(a).Cluster.Find("bob") is not null, "node a knows bob again");
        await alice.SendAsync("after the split");
        var seen = await bob.LinesBeforeAsync("<alice> after the split");
        Assert.DoesNotContain("<alice> during the split", seen);
        Assert.Equal((HttpStatusCode.OK, "healthy"), await BackplaneHealthAsync(http));
    }

    [Fact]
    public async Task ANodeKilledWithSigkillLeavesThePresenceAndTheOthersSaySo()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ChatServer.StartAsync(["--redis", redis.Address, "--node-name", "a", .. ChatCluster.FastHeartbeat]);
        var chatPort = FreePort.Next();
        using var b = StartNodeProcess(redis, chatPort, "b");
        try
        {
            _ = b.StandardError.ReadToEndAsync();
            var output = new ProcessOutput(b);
            await output.WaitUntilListeningAsync(chatPort);
            await output.WaitForSeenAsync("Joined the cluster through Redis as node b"); // Whole: what b's users do reaches a.
            var backplane = ChatCluster.BackplaneOf(a);
            await using var alice = await a.ConnectAsync("alice");
            await using var bob = await TcpChatClient.ConnectAsync(chatPort, "bob");
            await alice.WaitForLineAsync(line => line.EndsWith(" is now known as bob", StringComparison.Ordinal), "bob's rename");
            Assert.Contains(backplane.Cluster.Nodes, node => node.Name == "b");

            b.Kill(); // SIGKILL: no goodbye, no cleanup.
            var killedAt = TimeProvider.System.GetTimestamp();

            await alice.WaitForLineAsync("*** bob has left (server b lost)");
            Assert.True(TimeProvider.System.GetElapsedTime(killedAt) < TimeSpan.FromSeconds(10));
            Assert.Empty(backplane.Cluster.Nodes);
            using var http = a.CreateHttpClient();
            Assert.Equal(1, (await http.GetFromJsonAsync<JsonElement>("api/users")).GetProperty("users").GetInt32());
        }
        finally
        {
            if (!b.HasExited)
            {
                b.Kill();
            }

            await b.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task ANodePausedPastThePresenceTimeoutHasItsUsersKnownAgainWhenItResumes()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ChatServer.StartAsync(["--redis", redis.Address, "--node-name", "a", .. ChatCluster.FastHeartbeat]);
        var chatPort = FreePort.Next();
        using var b = StartNodeProcess(redis, chatPort, "b");
        try
        {
            _ = b.StandardError.ReadToEndAsync();
            var output = new ProcessOutput(b);
            await output.WaitUntilListeningAsync(chatPort);
            await output.WaitForSeenAsync("Joined the cluster through Redis as node b");
            var backplane = ChatCluster.BackplaneOf(a);
            await using var alice = await a.ConnectAsync("alice");
            await using var bob = await TcpChatClient.ConnectAsync(chatPort, "bob");
            await ClusterTests.WaitUntilKnownAsync(alice, "bob", a);

            // Frozen (a long GC pause, a suspended VM): its Redis connection stays open, so it never splits, but it
            // says nothing for longer than the presence timeout, and its keys expire.
            Assert.Equal(0, ProcessSignals.Pause(b.Id));
            try
            {
                await alice.WaitForLineAsync("*** bob has left (server b lost)");
            }
            finally
            {
                ProcessSignals.Resume(b.Id);
            }

            await Eventually.TrueAsync(() => backplane.Cluster.Find("bob") is not null, "node a knows bob again once b resumes", timeoutSeconds: 15);
            await alice.SendAsync("/msg bob still there?");
            await bob.WaitForLineAsync(line => line.EndsWith("still there?", StringComparison.Ordinal), "alice's private message");
        }
        finally
        {
            ProcessSignals.Resume(b.Id);
            if (!b.HasExited)
            {
                b.Kill();
            }

            await b.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task AWrongRedisPasswordIsLoggedAsOneAndNeverShown()
    {
        await using var redis = await RedisServer.StartAsync("--requirepass", "the-right-one");
        await using var node = await ChatServer.StartAsync(["--redis", redis.Address + ",password=a-wrong-one", "--node-name", "a", .. ChatCluster.FastHeartbeat]);

        // Not only "cannot be reached": the operator must learn that Redis answers and refuses the password.
        await Eventually.TrueAsync(
            () => node.Log.Entries.Any(entry => entry.Level >= LogLevel.Warning && entry.Category.StartsWith("CatChat.Backplane", StringComparison.Ordinal)
                && entry.Message.Contains("password", StringComparison.OrdinalIgnoreCase)),
            "a warning that Redis refused the password", timeoutSeconds: 10);
        Assert.DoesNotContain(node.Log.Entries, entry => entry.Message.Contains("a-wrong-one", StringComparison.Ordinal));
        Assert.Equal(BackplaneState.Split, ChatCluster.BackplaneOf(node).State);
    }

    // A node in a process of its own, so that it can be killed or frozen with a signal.
    private static System.Diagnostics.Process StartNodeProcess(RedisServer redis, int chatPort, string name)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "CatChat.dll"), "--bind", "127.0.0.1", "--chat-port", chatPort.ToString(CultureInfo.InvariantCulture), "--irc-port", "0",
            "--http-port", "0", "--data-dir", Directory.CreateTempSubdirectory("catchat-node-").FullName, "--join-announce-delay", "0",
            "--redis", redis.Address, "--node-name", name,
        }.Concat(ChatCluster.FastHeartbeat))
        {
            info.ArgumentList.Add(argument);
        }

        return System.Diagnostics.Process.Start(info)!;
    }

    // The HTTP status of /healthz and the status of its backplane check.
    private static async Task<(HttpStatusCode, string?)> BackplaneHealthAsync(HttpClient http)
    {
        using var response = await http.GetAsync("healthz");
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, health.GetProperty("checks").GetProperty("backplane").GetProperty("status").GetString());
    }
}
