using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>The web chat's WebSocket frame by frame: control frames, bad frames and keep-alive, which a ClientWebSocket hides.</summary>
public sealed class WebChatFrameTests
{
    [Fact]
    public async Task ABrowsersPingIsAnsweredWholeBesideTheChatsMessagesAndItsCloseInKind()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        using var socket = await RawWebSocket.JoinAsync(server, "alice", bob);

        // The pong goes out through her outbox, among the chat's own frames: it must come back whole.
        await bob.SendAsync("before the ping");
        await socket.SendAsync(0x9, "are you there?");
        await bob.SendAsync("after the ping");
        var seen = new List<(int Opcode, string Payload)>();
        while (!seen.Any(f => f.Opcode == 0xA) || !seen.Any(f => f.Payload.Contains("after the ping", StringComparison.Ordinal)))
        {
            seen.Add(await socket.ReceiveAsync());
        }

        Assert.Equal("are you there?", seen.Single(f => f.Opcode == 0xA).Payload);
        Assert.All(seen.Where(f => f.Opcode != 0xA), f => Assert.Equal(0x1, f.Opcode));

        // Her close (1000) is answered with the server's.
        await socket.SendAsync(0x8, "\u0003\u00E8bye");
        var (opcode, payload) = await socket.ReceiveAsync();
        while (opcode == 0x1)
        {
            (opcode, payload) = await socket.ReceiveAsync();
        }

        Assert.Equal(0x8, opcode);
        Assert.Equal("\u0003\u00E8", payload[..2]);
        await bob.WaitForLineAsync("*** alice has left (connection closed)");
    }

    [Fact]
    public async Task ABadFrameInTheFirstPacketIsAnsweredWithACloseAndNothingAfterIt()
    {
        await using var server = await ChatServer.StartAsync();

        // An unmasked text frame, which a client must never send, right behind the upgrade.
        using var socket = await RawWebSocket.OpenAsync(server, [0x81, 0x10, .. "{\"type\":\"rooms\"}"u8]);
        var frames = await socket.ReceiveUntilEndAsync();

        // The close (1002) is the last frame: the banner the session would send next does not follow it.
        Assert.NotEmpty(frames);
        Assert.Equal(0x8, frames[^1].Opcode);
        Assert.Equal("\u0003\u00EA", frames[^1].Payload[..2]);
        Assert.Single(frames, f => f.Opcode == 0x8);
    }

    [Fact]
    public async Task ABadFrameWhileChattingEndsWithTheCloseAndNoMessageAfterIt()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        using var socket = await RawWebSocket.JoinAsync(server, "alice", bob);

        // Bob keeps talking while her socket closes over a frame with a reserved bit set.
        var talking = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await bob.SendAsync("line " + i);
            }
        });
        await socket.WriteRawAsync([0xC1, 0x80, 1, 2, 3, 4]);
        var frames = await socket.ReceiveUntilEndAsync();
        await talking;

        Assert.Equal(0x8, frames[^1].Opcode);
        Assert.Equal("\u0003\u00EA", frames[^1].Payload[..2]);
        await bob.WaitForLineAsync(line => line.StartsWith("*** alice has left", StringComparison.Ordinal), "alice leaving");
    }

    [Fact]
    public async Task AMessageEndingInsideACharacterIsRefusedAsInvalidUtf8EvenWhenItsLastFrameIsEmpty()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        using var socket = await RawWebSocket.JoinAsync(server, "alice", bob);

        // A text frame that is not the last, ending with the lead byte of é, then an empty last frame.
        await socket.SendFrameAsync(0x01, [.. """{"type":"say","text":"x"}"""u8, 0xC3]);
        await socket.SendFrameAsync(0x80, []);
        var frames = await socket.ReceiveUntilEndAsync();

        Assert.Equal(0x8, frames[^1].Opcode);
        Assert.Equal("\u0003\u00EF", frames[^1].Payload[..2]); // 1007: invalid payload data
        await bob.WaitForLineAsync(line => line.StartsWith("*** alice has left", StringComparison.Ordinal), "alice leaving");
        Assert.DoesNotContain(bob.Seen, line => line.StartsWith("<alice>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASocketThatStopsAnsweringPingsIsDroppedAsAPingTimeout()
    {
        await using var server = await ChatServer.StartAsync("--web-chat-keep-alive", "1");
        await using var bob = await server.ConnectAsync("bob");
        using var socket = await RawWebSocket.JoinAsync(server, "alice", bob);

        // From here on she reads nothing, so the server's pings go unanswered.
        await bob.WaitForLineAsync("*** alice has left (ping timeout)");
    }
}
