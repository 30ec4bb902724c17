using System.Text;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>IRC over WebSocket frame by frame: control frames among the IRC lines, bad frames, and a client that never reads.</summary>
public sealed class IrcOverWebSocketFrameTests
{
    [Fact]
    public async Task AClientsPingIsAnsweredWholeAmongTheLinesAndEveryOtherFrameIsOneLine()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var bob = await server.ConnectAsync("bob");
        using var socket = await RegisterAsync(server, "alice", "binary.ircv3.net");
        await socket.SendAsync(0x1, "JOIN #lobby");
        await bob.WaitForLineAsync(line => line.StartsWith("*** alice", StringComparison.Ordinal) && line.Contains("joined", StringComparison.Ordinal), "alice joining");

        await bob.SendAsync("before the ping");
        await socket.SendAsync(0x9, "are you there?");
        await bob.SendAsync("after the ping");
        var seen = new List<(int Opcode, string Payload)>();
        while (!seen.Any(f => f.Opcode == 0xA) || !seen.Any(f => f.Payload.EndsWith("after the ping", StringComparison.Ordinal)))
        {
            seen.Add(await socket.ReceiveAsync());
        }

        Assert.Equal("are you there?", seen.Single(f => f.Opcode == 0xA).Payload);
        Assert.Contains(seen, f => f.Payload == ":bob!nc@netcat PRIVMSG #lobby :before the ping");
        Assert.All(seen.Where(f => f.Opcode != 0xA), f =>
        {
            Assert.Equal(0x2, f.Opcode);
            Assert.StartsWith(":", f.Payload, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', f.Payload);
        });
    }

    [Fact]
    public async Task TheServersKeepAlivePingsComeAsControlFramesAmongTheLinesAndAnsweredKeepTheSocketOpen()
    {
        await using var server = await ChatServer.StartWithIrcAsync("--web-chat-keep-alive", "1");
        using var socket = await RegisterAsync(server, "alice", "binary.ircv3.net");

        // Three of the server's pings, each answered as a browser would; they leave through the session's outbox.
        var seen = new List<(int Opcode, string Payload)>();
        while (seen.Count(f => f.Opcode == 0x9) < 3)
        {
            var frame = await socket.ReceiveAsync();
            seen.Add(frame);
            if (frame.Opcode == 0x9)
            {
                await socket.SendAsync(0xA, frame.Payload);
            }
        }

        await socket.SendAsync(0x1, "PING alive");
        var (opcode, payload) = await socket.ReceiveAsync();
        while (opcode == 0x9 || !payload.EndsWith("alive", StringComparison.Ordinal))
        {
            (opcode, payload) = await socket.ReceiveAsync();
        }

        Assert.Equal(0x2, opcode);
        Assert.All(seen.Where(f => f.Opcode != 0x9), f =>
        {
            Assert.Equal(0x2, f.Opcode);
            Assert.StartsWith(":", f.Payload, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ABadFrameEndsWithACloseAsTheLastFrameAndTheUserQuits()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var bob = await server.ConnectAsync("bob");
        using var socket = await RegisterAsync(server, "alice", "text.ircv3.net");
        await socket.SendAsync(0x1, "JOIN #lobby");
        await bob.WaitForLineAsync(line => line.StartsWith("*** alice", StringComparison.Ordinal) && line.Contains("joined", StringComparison.Ordinal), "alice joining");

        var talking = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await bob.SendAsync("line " + i);
            }
        });
        await socket.WriteRawAsync([0xC1, 0x80, 1, 2, 3, 4]); // A reserved bit set: a protocol error.
        var frames = await socket.ReceiveUntilEndAsync();
        await talking;

        Assert.Equal(0x8, frames[^1].Opcode);
        Assert.Equal("\u0003\u00EA", frames[^1].Payload[..2]);
        Assert.Single(frames, f => f.Opcode == 0x8);
        await bob.WaitForLineAsync(line => line.StartsWith("*** alice has left", StringComparison.Ordinal) || line.StartsWith("*** alice has quit", StringComparison.Ordinal), "alice leaving");
    }

    [Fact]
    public async Task AClientThatNeverReadsIsCutOffAndNobodyWaitsForIt()
    {
        await using var server = await ChatServer.StartWithIrcAsync("--send-queue-bytes", "262144", "--flood-burst", "0");
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await IrcWebSocketClient.ConnectAsync(server, "bob", "text.ircv3.net");
        await bob.SendAsync("JOIN #lobby");
        using var stuck = await RegisterAsync(server, "stuck", "text.ircv3.net");
        await stuck.SendAsync(0x1, "JOIN #lobby");
        await alice.WaitForLineAsync(line => line.StartsWith("*** stuck", StringComparison.Ordinal) && line.Contains("joined", StringComparison.Ordinal), "stuck joining");
        var payload = new string('p', 400);

        // 8 MB in batches bob keeps up with: far beyond what the kernel buffers and the 256 KiB queue hold.
        for (var batch = 0; batch < 400; batch++)
        {
            var lines = string.Concat(Enumerable.Range(0, 50).Select(i => $"{batch}.{i} {payload}\r\n"));
            await alice.SendRawAsync(Encoding.ASCII.GetBytes(lines));
            await bob.WaitForLineAsync(line => line.EndsWith($" :{batch}.49 {payload}", StringComparison.Ordinal), $"batch {batch}");
        }

        await alice.WaitForSeenAsync(line => line.StartsWith("*** stuck has", StringComparison.Ordinal) && line.Contains("send queue exceeded", StringComparison.Ordinal), "stuck cut off");
    }

    // A raw socket on /irc, registered as nick (its welcome and MOTD left unread in the kernel's buffers).
    private static async Task<RawWebSocket> RegisterAsync(ChatServer server, string nick, string subProtocol)
    {
        var socket = await RawWebSocket.OpenAsync(server, path: "/irc", subProtocol: subProtocol);
        await socket.SendAsync(0x1, "NICK " + nick);
        await socket.SendAsync(0x1, $"USER {nick} 0 * :{nick}");
        return socket;
    }
}
