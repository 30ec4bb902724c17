using System.Net.Sockets;
using CatChat.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace CatChat.Connections;

/// <summary>
/// Turns on TCP keepalive for a chat connection, so a peer that vanished without a FIN (a pulled cable,
/// a sleeping laptop) is found by the kernel without a PING that a netcat user could not answer.
/// </summary>
internal static class SocketKeepAlive
{
    public static void Enable(ConnectionContext connection, CatChatOptions options)
    {
        var socket = SocketOf(connection);
        if (socket is null)
        {
            return; // An in-memory transport in tests has no socket.
        }

        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, (int)options.KeepAliveTime.TotalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, (int)options.KeepAliveInterval.TotalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, options.KeepAliveProbes);
    }

    public static bool IsEnabled(ConnectionContext connection) =>
        SocketOf(connection) is { } socket
        && socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive) is int enabled
        && enabled != 0;

    // CatChat's own socket connections carry the socket themselves; Kestrel's keep it in a feature.
    private static Socket? SocketOf(ConnectionContext connection) =>
        (connection as IConnectionSocketFeature)?.Socket ?? connection.Features.Get<IConnectionSocketFeature>()?.Socket;
}
