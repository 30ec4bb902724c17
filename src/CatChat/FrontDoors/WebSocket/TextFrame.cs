using System.Buffers.Binary;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// A server's WebSocket text frame (RFC 6455 section 5.2): FIN, the text opcode, no mask, the payload's length in
/// the shortest form. Every message the web chat sends is one, made once per message and shared by every recipient.
/// </summary>
internal static class TextFrame
{
    /// <summary>The first byte of every frame the chat makes: FIN with the text opcode. No plain line starts with it (it is no UTF-8 lead byte).</summary>
    public const byte FirstByte = 0x81;

    /// <summary>
    /// True for the first byte of a whole frame the server sends (FIN, no extension bits, any opcode: 0x80-0x8F). No
    /// plain line starts with one: in UTF-8 those are continuation bytes.
    /// </summary>
    public static bool IsFrameStart(byte first) => (first & 0xF0) == 0x80;

    /// <summary>True for the start of a close frame (FIN with the close opcode), after which nothing may be sent.</summary>
    public static bool IsCloseFrame(ReadOnlySpan<byte> frame) => !frame.IsEmpty && frame[0] == 0x88;

    /// <summary>The longest header: 2 bytes and a 64-bit length.</summary>
    public const int MaxHeaderBytes = 10;

    public static int HeaderBytes(int payloadLength) => payloadLength < 126 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10;

    /// <summary>The first byte of a binary message's one frame: FIN with the binary opcode.</summary>
    public const byte BinaryFirstByte = 0x82;

    /// <summary>Writes the header for a payload of <paramref name="payloadLength"/> bytes; returns its length.</summary>
    /// <param name="first">The first byte: a text frame unless told otherwise.</param>
    public static int WriteHeader(Span<byte> destination, int payloadLength, byte first = FirstByte)
    {
        destination[0] = first;
        if (payloadLength < 126)
        {
            destination[1] = (byte)payloadLength;
            return 2;
        }

        if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            return 4;
        }

        destination[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
        return 10;
    }

    /// <summary>
    /// The length of the whole server frame (unmasked) that <paramref name="bytes"/> starts with, or 0 when its header
    /// is not all there yet.
    /// </summary>
    public static long LengthOf(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2)
        {
            return 0;
        }

        var length = bytes[1] & 0x7F;
        return length switch
        {
            < 126 => 2 + length,
            126 => bytes.Length < 4 ? 0 : 4 + BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
            _ => bytes.Length < 10 ? 0 : 10 + (long)BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]),
        };
    }

    /// <summary>The payload as one frame, in a new array.</summary>
    public static byte[] Of(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[HeaderBytes(payload.Length) + payload.Length];
        payload.CopyTo(frame.AsSpan(WriteHeader(frame, payload.Length)));
        return frame;
    }
}
