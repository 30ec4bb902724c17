using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        if (text.Length < HeaderLength || !text.StartsWith(Marker) || !AllHexDigits(text[4..HeaderLength]))
        {
            return false;
        }

        // The load generator reads every delivery: digits are checked 16 at a time and decoded 8 at a time, since a
        // digit at a time cost a quarter of its core at N = 100.
        run = (uint)DecodeHex8(text.Slice(4, 8));
        sender = (int)(DecodeHex8(text.Slice(8, 8)) & 0xFFFF); // the run's last 4 digits, then the sender's 4
        sequence = (uint)DecodeHex8(text.Slice(16, 8));
        timestamp = (long)((DecodeHex8(text.Slice(24, 8)) << 32) | DecodeHex8(text.Slice(32, 8)));
        return true;
    }

    // Exactly the 36 digits after the marker: three overlapping 16-byte blocks cover them.
    private static bool AllHexDigits(ReadOnlySpan<byte> digits)
    {
        ref var first = ref MemoryMarshal.GetReference(digits);
        return IsHexBlock(Vector128.LoadUnsafe(ref first))
            && IsHexBlock(Vector128.LoadUnsafe(ref first, 16))
            && IsHexBlock(Vector128.LoadUnsafe(ref first, (nuint)digits.Length - 16));
    }

    private static bool IsHexBlock(Vector128<byte> block)
    {
        var isDigit = Vector128.LessThanOrEqual(block - Vector128.Create((byte)'0'), Vector128.Create((byte)9));
        var isLetter = Vector128.LessThanOrEqual(block - Vector128.Create((byte)'a'), Vector128.Create((byte)5));
        return (isDigit | isLetter) == Vector128<byte>.AllBitsSet;
    }

    // Eight lowercase hex digits already checked, most significant first, to their value.
    private static ulong DecodeHex8(ReadOnlySpan<byte> digits)
    {
        var x = BinaryPrimitives.ReadUInt64LittleEndian(digits);
        // Per byte: '0'-'9' is 0x30-0x39, 'a'-'f' is 0x61-0x66; the low nibble, plus 9 for a letter (bit 6 set).
        var nibbles = (x & 0x0F0F0F0F0F0F0F0FUL) + (((x >> 6) & 0x0101010101010101UL) * 9);
        // The first digit sits in the lowest byte: merge neighbours, more significant one shifted up.
        var pairs = ((nibbles << 4) | (nibbles >> 8)) & 0x00FF00FF00FF00FFUL;
        var quads = ((pairs << 8) | (pairs >> 16)) & 0x0000FFFF0000FFFFUL;
        return ((quads << 16) | (quads >> 32)) & 0xFFFFFFFFUL;
    }

    private static void WriteHex(Span<byte> destination, ulong value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = HexDigits[(int)(value & 0xF)];
            value >>= 4;
        }
    }
}
