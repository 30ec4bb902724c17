using System.Net;
using CatChat.FrontDoors.Netcat;
using CatChat.Sessions;
using CatChat.Transport;
using Microsoft.Extensions.Options;

namespace CatChat.Hosting;

/// <summary>The plain chat port: netcat's front door on CatChat's own socket transport.</summary>
internal sealed partial class ChatPortListener(
    ListenerOptions options,
    IOptionsMonitor<SessionLimits> sessions,
    ChatEndpoints endpoints,
    NetcatConnectionHandler handler,
    ILogger<SocketTransport> logger) : SocketPortListener(options, sessions, handler, logger)
{
    private readonly int _port = options.ChatPort;

    protected override int? Port => _port;

    protected override void Bound(IPEndPoint endPoint) => endpoints.ChatEndPoint = endPoint;

    // IPEndPoint writes IPv6 in brackets: tcp://[::]:1400.
    protected override void LogListening(ILogger logger) => Listening(logger, endpoints.ChatEndPoint!);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Chat listening on: tcp://{EndPoint}")]
    private static partial void Listening(ILogger logger, IPEndPoint endPoint);
}
