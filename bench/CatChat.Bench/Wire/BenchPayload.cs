namespace CatChat.Bench.Wire;

/// <summary>
/// The text of one benchmark message: a marker, the run's id, the sender, its sequence number and the send
/// time in <see cref="System.Diagnostics.Stopwatch"/> ticks, as fixed-width hex, padded with dots to the message
/// size. Printable ASCII only, so CatChat's sanitiser passes it unchanged; fixed width, so reading it back needs
/// no allocation and no search.
/// </summary>
internal static class BenchPayload
{
    /// <summary>"BNCH" + run (8 hex) + sender (4 hex) + sequence (8 hex) + timestamp (16 hex).</summary>
    public const int HeaderLength = 4 + 8 + 4 + 8 + 16;

    public const int MaxSenders = 0x10000;

    private static ReadOnlySpan<byte> Marker => "BNCH"u8;

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    /// <summary>Writes a message of exactly <paramref name="destination"/>.Length bytes.</summary>
    public static void Write(Span<byte> destination, uint run, int sender, uint sequence, long timestamp)
    {
        if (destination.Length < HeaderLength)
        {
            throw new ArgumentException($"a benchmark message needs at least {HeaderLength} bytes", nameof(destination));
        }

        Marker.CopyTo(destination);
        WriteHex(destination.Slice(4, 8), run);
        WriteHex(destination.Slice(12, 4), (ulong)sender);
        WriteHex(destination.Slice(16, 8), sequence);
        WriteHex(destination.Slice(24, 16), (ulong)timestamp);
        destination[HeaderLength..].Fill((byte)'.');
    }

    /// <summary>Rewrites only the timestamp of a message written before: the rest of a sender's buffer is reused.</summary>
    public static void Restamp(Span<byte> message, uint sequence, long timestamp)
    {
        WriteHex(message.Slice(16, 8), sequence);
        WriteHex(message.Slice(24, 16), (ulong)timestamp);
    }

    /// <summary>Whether <paramref name="text"/> begins like a benchmark message (of any run).</summary>
    public static bool IsPayload(ReadOnlySpan<byte> text) => text.StartsWith(Marker);

    /// <summary>Reads a message's fields; false when it is not a well-formed message.</summary>
    public static bool TryRead(ReadOnlySpan<byte> text, out uint run, out int sender, out uint sequence, out long timestamp)
    {
        run = 0;
        sender = 0;
        sequence = 0;
        timestamp = 0;
        if (text.Length < HeaderLength || !text.StartsWith(Marker)
            || !TryReadHex(text.Slice(4, 8), out var r)
            || !TryReadHex(text.Slice(12, 4), out var s)
            || !TryReadHex(text.Slice(16, 8), out var q)
            || !TryReadHex(text.Slice(24, 16), out var t))
        {
            return false;
        }

        run = (uint)r;
        sender = (int)s;
        sequence = (uint)q;
        timestamp = (long)t;
        return true;
    }

    private static void WriteHex(Span<byte> destination, ulong value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = HexDigits[(int)(value & 0xF)];
            value >>= 4;
        }
    }

    private static bool TryReadHex(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        foreach (var c in digits)
        {
            int nibble = c switch
            {
                >= (byte)'0' and <= (byte)'9' => c - '0',
                >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)nibble;
        }

        return true;
    }
}
