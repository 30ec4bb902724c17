using System.Net.Sockets;
using CatChat.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Options;

namespace CatChat.Hosting;

/// <summary>
/// Connection middleware for Kestrel's chat endpoint (TLS): TCP keepalive on its socket, as CatChat's own transport
/// sets it on the plain port, so a peer that vanished without a FIN is found without a PING a netcat user could not answer.
/// </summary>
internal static class TlsKeepAlive
{
    public static ConnectionDelegate Enable(ConnectionDelegate next, IOptionsMonitor<SessionLimits> sessions) => connection =>
    {
        var options = sessions.CurrentValue;
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, (int)options.KeepAliveTime.TotalSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, (int)options.KeepAliveInterval.TotalSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, options.KeepAliveProbes);
        }

        return next(connection);
    };
}
