using System.Buffers.Binary;
using System.Text;

namespace CatChat.Bench.Wire;

/// <summary>
/// What a bench client writes to CatChat's web chat over a raw socket: the HTTP upgrade and masked WebSocket text
/// frames of JSON (docs/protocol.md, "Browser to server"). Raw, not <c>ClientWebSocket</c>, so a web client is read by
/// the same io_uring receiver and checked by the same <c>BenchClient</c> as a netcat one, and only the wire differs.
/// </summary>
internal static class WebSocketRequests
{
    // A client must mask its frames (RFC 6455 5.3) but may choose the key: zero leaves the payload as it is, so a
    // sender can rewrite its message in place between sends. The server unmasks every frame all the same.
    private static readonly byte[] ZeroMask = [0, 0, 0, 0];

    /// <summary>The upgrade request for <c>/ws</c>, with no Origin (not a browser, so CatChat's origin check lets it in).</summary>
    public static byte[] Upgrade(string host) => Encoding.ASCII.GetBytes(
        $"GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");

    /// <summary>The upgrade followed by <c>{"type":"hello","nick":NICK}</c>: all a client sends to be in the chat.</summary>
    public static byte[] UpgradeAndHello(string host, string nick) =>
        [.. Upgrade(host), .. TextFrame(Encoding.ASCII.GetBytes($"{{\"type\":\"hello\",\"nick\":\"{nick}\"}}"))];

    /// <summary>
    /// A <c>say</c> frame with room for <paramref name="size"/> bytes of text, and where that text starts: a benchmark
    /// message is printable ASCII without quotes or backslashes, so it goes into the JSON string as it is.
    /// </summary>
    public static (byte[] Frame, int TextOffset) Say(int size)
    {
        var before = "{\"type\":\"say\",\"text\":\""u8;
        var after = "\"}"u8;
        var json = new byte[before.Length + size + after.Length];
        before.CopyTo(json);
        after.CopyTo(json.AsSpan(before.Length + size));
        var frame = TextFrame(json);
        return (frame, frame.Length - json.Length + before.Length);
    }

    /// <summary>A masked final text frame holding <paramref name="payload"/>.</summary>
    public static byte[] TextFrame(ReadOnlySpan<byte> payload)
    {
        var lengthBytes = payload.Length < 126 ? 0 : payload.Length <= ushort.MaxValue ? 2 : 8;
        var frame = new byte[2 + lengthBytes + ZeroMask.Length + payload.Length];
        frame[0] = 0x81; // FIN, text
        if (lengthBytes == 0)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else if (lengthBytes == 2)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }

        ZeroMask.CopyTo(frame, 2 + lengthBytes);
        payload.CopyTo(frame.AsSpan(2 + lengthBytes + ZeroMask.Length));
        return frame;
    }
}
