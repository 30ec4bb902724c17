using System.Buffers.Binary;
using System.Net;
using CatChat.Transport.Native;

namespace CatChat.Transport;

/// <summary>
/// A socket address as the kernel gave it (sockaddr_in or sockaddr_in6), kept in 24 bytes instead of an
/// <see cref="IPEndPoint"/> and its <see cref="IPAddress"/> for the life of every connection.
/// </summary>
internal readonly struct SocketPeer
{
    // Two halves rather than a UInt128, whose 16-byte alignment would pad every connection.
    private readonly ulong _high;
    private readonly ulong _low;
    private readonly uint _scopeId;
    private readonly ushort _family;
    private readonly ushort _port;

    private SocketPeer(ushort family, ushort port, ulong high, ulong low, uint scopeId)
    {
        _family = family;
        _port = port;
        _high = high;
        _low = low;
        _scopeId = scopeId;
    }

    /// <summary>Reads a sockaddr; an address of another family (there is none for TCP here) reads as unknown.</summary>
    public static SocketPeer Read(ReadOnlySpan<byte> sockaddr)
    {
        if (sockaddr.Length < 2)
        {
            return default;
        }

        var family = BitConverter.ToUInt16(sockaddr);
        var port = sockaddr.Length >= 4 ? BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]) : (ushort)0;
        return family switch
        {
            Libc.AF_INET when sockaddr.Length >= 8 => new SocketPeer(family, port, 0, BinaryPrimitives.ReadUInt32BigEndian(sockaddr[4..]), 0),
            Libc.AF_INET6 when sockaddr.Length >= 28 => new SocketPeer(
                family,
                port,
                BinaryPrimitives.ReadUInt64BigEndian(sockaddr[8..]),
                BinaryPrimitives.ReadUInt64BigEndian(sockaddr[16..]),
                BitConverter.ToUInt32(sockaddr[24..])),
            _ => default,
        };
    }

    public IPEndPoint? ToEndPoint()
    {
        Span<byte> bytes = stackalloc byte[16];
        switch (_family)
        {
            case Libc.AF_INET:
                BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)_low);
                return new IPEndPoint(new IPAddress(bytes[..4]), _port);
            case Libc.AF_INET6:
                BinaryPrimitives.WriteUInt64BigEndian(bytes, _high);
                BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _low);
                return new IPEndPoint(new IPAddress(bytes, _scopeId), _port);
            default:
                return null;
        }
    }
}
