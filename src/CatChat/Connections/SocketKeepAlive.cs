using System.Net.Sockets;
using CatChat.Hosting;
using CatChat.Transport;
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
        if (connection is IKeepAliveSocket own)
        {
            own.EnableKeepAlive((int)options.KeepAliveTime.TotalSeconds, (int)options.KeepAliveInterval.TotalSeconds, options.KeepAliveProbes);
            return;
        }

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

    // Kestrel's connections (TLS) keep their socket in a feature.
    private static Socket? SocketOf(ConnectionContext connection) => connection.Features.Get<IConnectionSocketFeature>()?.Socket;
}
