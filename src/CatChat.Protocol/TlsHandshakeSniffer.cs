using System.Buffers;

namespace CatChat.Protocol;

/// <summary>
/// Recognises a connection's first bytes as a TLS handshake: a TLS client pointed at a plain port, which waits for an
/// answer that never comes. No text line starts with them.
/// </summary>
public static class TlsHandshakeSniffer
{
    /// <summary>True when the bytes start with a handshake record (type 22) of protocol version 3.x.</summary>
    public static bool StartsHandshake(in ReadOnlySequence<byte> bytes)
    {
        if (bytes.Length < 2)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[2];
        bytes.Slice(0, 2).CopyTo(head);
        return head[0] == 0x16 && head[1] == 0x03;
    }
}
