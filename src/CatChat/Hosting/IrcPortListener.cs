using System.Net;
using CatChat.FrontDoors.Irc;
using CatChat.Sessions;
using CatChat.Transport;
using Microsoft.Extensions.Options;

namespace CatChat.Hosting;

/// <summary>The plain IRC port (off when its setting is 0): IRC's front door on CatChat's own socket transport.</summary>
internal sealed partial class IrcPortListener(
    ListenerOptions options,
    IrcOptions irc,
    IOptionsMonitor<SessionLimits> sessions,
    ChatEndpoints endpoints,
    IrcConnectionHandler handler,
    ILogger<SocketTransport> logger) : SocketPortListener(options, sessions, handler, logger)
{
    protected override int? Port => irc.Port > 0 ? irc.Port : null;

    protected override void Bound(IPEndPoint endPoint) => endpoints.IrcEndPoint = endPoint;

    protected override void LogListening(ILogger logger) => Listening(logger, endpoints.IrcEndPoint!);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "IRC listening on: irc://{EndPoint}")]
    private static partial void Listening(ILogger logger, IPEndPoint endPoint);
}
