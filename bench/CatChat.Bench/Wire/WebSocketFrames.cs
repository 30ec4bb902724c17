using System.Buffers.Binary;

namespace CatChat.Bench.Wire;

/// <summary>
/// Reads CatChat's web chat output over a raw socket: the HTTP upgrade's answer, then unmasked WebSocket frames, each a
/// JSON message (docs/protocol.md, "Server to browser"). A <c>line</c>'s <c>text</c> is a benchmark message when it is
/// one; <c>welcome</c> means ready; an <c>error</c> or a refused upgrade before it is a refusal. Stateless, like
/// <see cref="ChatFrames"/>: the upgrade's answer is told apart by its first byte ('H', never a frame's first byte).
/// </summary>
internal static class WebSocketFrames
{
    private const byte OpcodeText = 0x1;

    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> Switching => "HTTP/1.1 101"u8;

    private static ReadOnlySpan<byte> LineType => "{\"type\":\"line\""u8;

    private static ReadOnlySpan<byte> WelcomeType => "{\"type\":\"welcome\""u8;

    private static ReadOnlySpan<byte> ErrorType => "{\"type\":\"error\""u8;

    private static ReadOnlySpan<byte> TextField => ",\"text\":\""u8;

    /// <summary>Reports every complete frame (or the upgrade's answer) in <paramref name="data"/>; returns how many bytes it used.</summary>
    public static int Parse(ReadOnlySpan<byte> data, IFrameSink sink)
    {
        var consumed = 0;
        while (true)
        {
            var rest = data[consumed..];
            if (rest.IsEmpty)
            {
                return consumed;
            }

            if (rest[0] == (byte)'H')
            {
                var end = rest.IndexOf(HeaderEnd);
                if (end < 0)
                {
                    return consumed;
                }

                if (!rest.StartsWith(Switching))
                {
                    sink.OnRefused(rest[..rest.IndexOf("\r\n"u8)]);
                }

                consumed += end + HeaderEnd.Length;
                continue;
            }

            if (!TryReadFrame(rest, out var opcode, out var payload, out var length))
            {
                return consumed;
            }

            consumed += length;
            if (opcode == OpcodeText)
            {
                OnMessage(payload, sink);
            }
        }
    }

    /// <summary>One server frame's header and payload (unmasked, as a server's must be); false until it is all there.</summary>
    internal static bool TryReadFrame(ReadOnlySpan<byte> data, out int opcode, out ReadOnlySpan<byte> payload, out int frameLength)
    {
        opcode = 0;
        payload = default;
        frameLength = 0;
        if (data.Length < 2)
        {
            return false;
        }

        opcode = data[0] & 0x0F;
        var header = 2;
        long length = data[1] & 0x7F;
        if (length == 126)
        {
            if (data.Length < 4)
            {
                return false;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
            header = 4;
        }
        else if (length == 127)
        {
            if (data.Length < 10)
            {
                return false;
            }

            length = (long)BinaryPrimitives.ReadUInt64BigEndian(data[2..]);
            header = 10;
        }

        if ((data[1] & 0x80) != 0)
        {
            throw new InvalidDataException("a masked frame from the server");
        }

        if (length > int.MaxValue - header)
        {
            throw new InvalidDataException("a frame past 2 GiB");
        }

        if (data.Length < header + length)
        {
            return false;
        }

        payload = data.Slice(header, (int)length);
        frameLength = header + (int)length;
        return true;
    }

    // The server writes type first and text before line (docs/protocol.md), and a benchmark message needs no escapes,
    // so a search for the field stands in for a JSON parser: at 800,000 deliveries/s one would cost the load generator
    // more than the server's own work.
    private static void OnMessage(ReadOnlySpan<byte> json, IFrameSink sink)
    {
        if (json.StartsWith(LineType))
        {
            var field = json.IndexOf(TextField);
            if (field < 0)
            {
                return;
            }

            var text = json[(field + TextField.Length)..];
            var quote = text.IndexOf((byte)'"');
            if (quote > 0 && BenchPayload.IsPayload(text[..quote]))
            {
                sink.OnPayload(text[..quote]);
            }
        }
        else if (json.StartsWith(WelcomeType))
        {
            sink.OnReady();
        }
        else if (json.StartsWith(ErrorType))
        {
            sink.OnRefused(json);
        }
    }
}
