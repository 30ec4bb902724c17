using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using CatChat.Bench.Scenarios;
using CatChat.Bench.Targets;
using CatChat.Bench.Wire;
using CatChat.Testing;

namespace CatChat.Bench.Tests;

/// <summary>The load generator's web chat wire: the upgrade, the JSON frames it writes and the ones it reads back.</summary>
public class WebSocketWireTests
{
    [Fact]
    public void ParserFindsEveryMessageWhateverTheReadSizes()
    {
        var text = Payload(sender: 1);
        var members = string.Join(',', Enumerable.Range(0, 40).Select(i => $"\"w{i}\""));
        var bytes = Concat(
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: x\r\n\r\n"u8.ToArray(),
            ServerFrame("{\"type\":\"banner\",\"lines\":[\"Welcome to CatChat!\"]}"),
            ServerFrame("{\"type\":\"welcome\",\"nick\":\"w0\",\"room\":\"#lobby\",\"maxLineBytes\":512}"),
            ServerFrame($"{{\"type\":\"room\",\"room\":\"#lobby\",\"current\":true,\"topic\":null,\"members\":[{members}],\"history\":[]}}"),
            ServerFrame($"{{\"type\":\"line\",\"at\":\"2026-12-05T21:40:02.113+00:00\",\"nick\":\"w1\",\"room\":\"#lobby\",\"text\":\"{text}\",\"line\":\"<w1> {text}\"}}"),
            [0x89, 0x00], // a ping, which carries no message
            ServerFrame("{\"type\":\"line\",\"at\":\"x\",\"nick\":\"w3\",\"room\":\"#lobby\",\"text\":\"hello \\\"BNCH\\\"\",\"line\":\"<w3> hello\"}"),
            ServerFrame($"{{\"type\":\"line\",\"at\":\"x\",\"nick\":\"w1\",\"room\":\"#lobby\",\"text\":\"{text}\",\"line\":\"<w1> {text}\"}}"));
        Assert.True(bytes.Length > 126 * 3, "the room frame has a 16-bit length");

        for (var chunk = 1; chunk <= bytes.Length; chunk++)
        {
            var sink = new Sink();
            var buffered = new List<byte>();
            for (var offset = 0; offset < bytes.Length; offset += chunk)
            {
                buffered.AddRange(bytes.Skip(offset).Take(chunk));
                buffered.RemoveRange(0, WebSocketFrames.Parse(buffered.ToArray(), sink));
            }

            Assert.Empty(buffered);
            Assert.Equal((1, 2, 0), (sink.Ready, sink.Payloads.Count, sink.Refusals.Count));
            Assert.All(sink.Payloads, p => Assert.Equal(text, p));
        }
    }

    [Fact]
    public void AnErrorOrARefusedUpgradeIsARefusal()
    {
        var sink = new Sink();
        var error = ServerFrame("{\"type\":\"error\",\"code\":\"nick-taken\",\"text\":\"Cannot use w1: it is taken.\"}");
        var forbidden = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

        Assert.Equal(error.Length, WebSocketFrames.Parse(error, sink));
        Assert.Equal(forbidden.Length, WebSocketFrames.Parse(forbidden, sink));

        Assert.Equal(0, sink.Ready);
        Assert.Contains("nick-taken", sink.Refusals[0], StringComparison.Ordinal);
        Assert.Equal("HTTP/1.1 403 Forbidden", sink.Refusals[1]);
    }

    [Fact]
    public void AMaskedFrameFromTheServerIsRejected() =>
        Assert.Throws<InvalidDataException>(() => WebSocketFrames.Parse([0x81, 0x81, 0, 0, 0, 0, (byte)'x'], new Sink()));

    [Theory]
    [InlineData(64)]
    [InlineData(512)]
    public void ASayFrameIsMaskedJsonWithTheMessageAtItsTextOffset(int size)
    {
        var message = new CatChatWebTarget(new TargetOptions(Build: false, PinServer: null)).CreateMessage(size);
        BenchPayload.Write(message.Text.Span, run: 7, sender: 1, sequence: 3, timestamp: 99);

        var frame = message.Bytes;
        Assert.Equal(0x81, frame[0]);
        Assert.Equal(0x80, frame[1] & 0x80);
        var (length, header) = (frame[1] & 0x7F) switch
        {
            126 => (BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(2)), 4),
            var small => (small, 2),
        };
        Assert.Equal([0, 0, 0, 0], frame[header..(header + 4)]); // a zero key: the payload is as written
        Assert.Equal(frame.Length, header + 4 + length);

        using var json = JsonDocument.Parse(frame.AsMemory(header + 4));
        Assert.Equal("say", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(Encoding.ASCII.GetString(message.Text.Span), json.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void EachClientUpgradesAndSaysHelloUnderItsOwnNickname()
    {
        var hello = WebSocketRequests.UpgradeAndHello("127.0.0.1:8080", "w42");
        var text = Encoding.ASCII.GetString(hello);
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;

        Assert.StartsWith("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Origin:", text, StringComparison.Ordinal);
        Assert.Equal("{\"type\":\"hello\",\"nick\":\"w42\"}", Encoding.ASCII.GetString(hello, headerEnd + 6, hello.Length - headerEnd - 6));
    }

    [Fact]
    public void ASendersOwnEchoIsNeitherADeliveryNorMalformed()
    {
        var run = new FanoutRun(7, 64, senders: 2, window: 0) { EchoesToSender = true };
        using var client = BenchClient.Unconnected(WebSocketFrames.Parse, run, ownSender: 1);
        var line = (int sender) => ServerFrame($"{{\"type\":\"line\",\"at\":\"x\",\"nick\":\"w{sender}\",\"room\":\"#lobby\",\"text\":\"{Payload(sender)}\",\"line\":\"\"}}");

        client.Consume(Concat(line(1), line(0)), receivedAt: 1);

        Assert.Equal((1L, 0L, 0L), (client.Unique, client.Malformed, client.Duplicates));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(200)]
    public async Task FanoutOverTheWebChatDeliversEveryMessageOnceInOrder(double rate)
    {
        await using var server = await ChatServer.StartAsync([.. CatChatTarget.BenchmarkSettings]);

        var result = await BenchToolTests.RunFanoutAsync($"catchat-web@127.0.0.1:{server.HttpPort}", rate);

        BenchToolTests.AssertEveryMessageDeliveredOnceInOrder(result);
    }

    [Fact]
    public void TheWebTargetKeepsItsName()
    {
        var spec = TargetSpec.Parse("catchat-web");

        Assert.Equal(("catchat-web", "catchat-web"), (spec.Kind, spec.ToString()));
        Assert.Equal("catchat-web", spec.Create(new TargetOptions(Build: false, PinServer: null), externalPid: null).Name);
    }

    private static string Payload(int sender)
    {
        var text = new byte[64];
        BenchPayload.Write(text, run: 7, sender: sender, sequence: 0, timestamp: 0);
        return Encoding.ASCII.GetString(text);
    }

    // As a server writes it: final, unmasked.
    private static byte[] ServerFrame(string json)
    {
        var payload = Encoding.UTF8.GetBytes(json);
        byte[] header = payload.Length < 126 ? [0x81, (byte)payload.Length] : [0x81, 126, (byte)(payload.Length >> 8), (byte)payload.Length];
        return Concat(header, payload);
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private sealed class Sink : IFrameSink
    {
        public List<string> Payloads { get; } = [];

        public List<string> Refusals { get; } = [];

        public int Ready { get; private set; }

        public void OnPayload(ReadOnlySpan<byte> text) => Payloads.Add(Encoding.ASCII.GetString(text));

        public void OnReady() => Ready++;

        public void OnRefused(ReadOnlySpan<byte> line) => Refusals.Add(Encoding.UTF8.GetString(line));
    }
}
