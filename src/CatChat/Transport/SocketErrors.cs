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

    public static Exception Aborted(Exception ex) => new ConnectionAbortedException("The connection was aborted.", ex);

    /// <summary>Errors that mean the peer is gone, so writing more is pointless but not a failure.</summary>
    public static bool PeerIsGone(SocketException ex) => ex.SocketErrorCode is
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
        or SocketError.OperationAborted or SocketError.Interrupted or SocketError.TimedOut
        or SocketError.NotConnected or SocketError.HostUnreachable or SocketError.NetworkUnreachable;
}
