using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace CatChat.Bench.Wire;

/// <summary>
/// Reads Redis's RESP2 replies as a subscriber or publisher sees them: arrays of bulk strings and integers
/// (<c>message</c> pushes and <c>subscribe</c> confirmations) and simple lines (<c>+OK</c>, <c>:1</c>, errors).
/// Only a <c>message</c> push carries a benchmark message; a <c>subscribe</c> confirmation means ready.
/// </summary>
internal static class RespFrames
{
    private const int MaxElements = 3;

    /// <summary>Reports every complete frame in <paramref name="data"/>; returns how many bytes it used.</summary>
    public static int Parse(ReadOnlySpan<byte> data, IFrameSink sink)
    {
        var consumed = 0;
        while (consumed < data.Length)
        {
            var rest = data[consumed..];
            var used = TryParseMessagePush(rest, sink);
            if (used == 0)
            {
                used = ParseOne(rest, sink);
            }

            if (used == 0)
            {
                break;
            }

            consumed += used;
        }

        return consumed;
    }

    /// <summary>Encodes a command as a RESP array of bulk strings.</summary>
    public static byte[] Command(params string[] parts)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"*{parts.Length}\r\n");
        foreach (var part in parts)
        {
            text.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The fixed head of <c>PUBLISH channel &lt;size bytes&gt;</c>; the message and a CRLF follow it.</summary>
    public static byte[] PublishHead(string channel, int size) => Encoding.ASCII.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"*3\r\n$7\r\nPUBLISH\r\n${channel.Length}\r\n{channel}\r\n${size}\r\n"));

    private static ReadOnlySpan<byte> MessagePushHead => "*3\r\n$7\r\nmessage\r\n"u8;

    // Nearly every frame a subscriber reads is a complete message push: read it straight through, without the
    // general path's searches (which made the load generator, not Redis, the limit at N = 100). 0 for anything else.
    private static int TryParseMessagePush(ReadOnlySpan<byte> data, IFrameSink sink)
    {
        if (!data.StartsWith(MessagePushHead))
        {
            return 0;
        }

        var position = MessagePushHead.Length;
        if (!TryReadBulkHeader(data, ref position, out var channelLength) || data.Length < position + channelLength + 2)
        {
            return 0;
        }

        position += channelLength + 2;
        if (!TryReadBulkHeader(data, ref position, out var textLength) || data.Length < position + textLength + 2)
        {
            return 0;
        }

        var text = data.Slice(position, textLength);
        if (BenchPayload.IsPayload(text))
        {
            sink.OnPayload(text);
        }

        return position + textLength + 2;
    }

    // "$<digits>\r\n" at position; on success position is just past it.
    private static bool TryReadBulkHeader(ReadOnlySpan<byte> data, ref int position, out int length)
    {
        length = 0;
        if (position >= data.Length || data[position] != '$')
        {
            return false;
        }

        var i = position + 1;
        while (i < data.Length && data[i] is >= (byte)'0' and <= (byte)'9' && i - position <= 9)
        {
            length = (length * 10) + (data[i] - '0');
            i++;
        }

        if (i == position + 1 || i + 1 >= data.Length || data[i] != '\r' || data[i + 1] != '\n')
        {
            return false;
        }

        position = i + 2;
        return true;
    }

    // Returns the bytes of one complete frame, or 0 when the frame is not complete yet.
    private static int ParseOne(ReadOnlySpan<byte> data, IFrameSink sink)
    {
        var lineEnd = data.IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            return 0;
        }

        if (data[0] != '*')
        {
            return lineEnd + 2; // +OK, -ERR, :N: a reply nobody here waits for.
        }

        if (!TryParseInt(data[1..lineEnd], out var count))
        {
            throw new InvalidDataException("bad RESP array header");
        }

        var position = lineEnd + 2;
        Span<int> starts = stackalloc int[MaxElements];
        Span<int> lengths = stackalloc int[MaxElements];
        for (var i = 0; i < count; i++)
        {
            var rest = data[position..];
            var headerEnd = rest.IndexOf("\r\n"u8);
            if (headerEnd < 0)
            {
                return 0;
            }

            int start, length;
            if (rest[0] == '$')
            {
                if (!TryParseInt(rest[1..headerEnd], out length))
                {
                    throw new InvalidDataException("bad RESP bulk length");
                }

                start = position + headerEnd + 2;
                if (data.Length < start + length + 2)
                {
                    return 0;
                }

                position = start + length + 2;
            }
            else
            {
                start = position + 1;
                length = headerEnd - 1;
                position += headerEnd + 2;
            }

            if (i < MaxElements)
            {
                starts[i] = start;
                lengths[i] = length;
            }
        }

        if (count >= 3)
        {
            var kind = data.Slice(starts[0], lengths[0]);
            if (kind.SequenceEqual("message"u8))
            {
                var text = data.Slice(starts[2], lengths[2]);
                if (BenchPayload.IsPayload(text))
                {
                    sink.OnPayload(text);
                }
            }
            else if (kind.SequenceEqual("subscribe"u8))
            {
                sink.OnReady();
            }
        }

        return position;
    }

    private static bool TryParseInt(ReadOnlySpan<byte> digits, out int value) =>
        Utf8Parser.TryParse(digits, out value, out var used) && used == digits.Length;
}
