using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace CatChat.Transport;

/// <summary>Maps socket failures onto the exceptions Kestrel's transports throw, so a session handles both alike.</summary>
internal static class SocketErrors
{
    public static Exception Translate(SocketException ex) => ex.SocketErrorCode switch
    {
        SocketError.ConnectionReset or SocketError.Shutdown => new ConnectionResetException(ex.Message, ex),
        SocketError.OperationAborted or SocketError.Interrupted => new ConnectionAbortedException(ex.Message, ex),
        _ => ex,
    };

    public static Exception Aborted(Exception? ex) => ex is null
        ? new ConnectionAbortedException("The connection was aborted.")
        : new ConnectionAbortedException("The connection was aborted.", ex);

    /// <summary>A failed socket call's errno as the <see cref="SocketException"/> .NET's own sockets would throw, translated.</summary>
    public static Exception FromErrno(int errno) => Translate(new SocketException((int)ToSocketError(errno)));

    // Linux errno values of the failures a connected TCP socket reports.
    private static SocketError ToSocketError(int errno) => errno switch
    {
        104 => SocketError.ConnectionReset, // ECONNRESET
        32 => SocketError.Shutdown, // EPIPE
        110 => SocketError.TimedOut, // ETIMEDOUT: keepalive gave up
        107 => SocketError.NotConnected, // ENOTCONN
        103 => SocketError.ConnectionAborted, // ECONNABORTED
        113 => SocketError.HostUnreachable, // EHOSTUNREACH
        101 => SocketError.NetworkUnreachable, // ENETUNREACH
        9 => SocketError.OperationAborted, // EBADF
        12 or 105 => SocketError.NoBufferSpaceAvailable, // ENOMEM, ENOBUFS
        23 or 24 => SocketError.TooManyOpenSockets, // ENFILE, EMFILE
        _ => SocketError.SocketError,
    };

    /// <summary>Errors that mean the peer is gone, so writing more is pointless but not a failure.</summary>
    public static bool PeerIsGone(SocketException ex) => ex.SocketErrorCode is
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
        or SocketError.OperationAborted or SocketError.Interrupted or SocketError.TimedOut
        or SocketError.NotConnected or SocketError.HostUnreachable or SocketError.NetworkUnreachable;
}
