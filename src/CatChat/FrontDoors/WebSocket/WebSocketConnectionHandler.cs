using CatChat.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>The web chat's Factory: a <see cref="WebSocketSession"/> for every socket <see cref="WebChatEndpoint"/> accepts, admitted as every chat connection is.</summary>
internal sealed class WebSocketConnectionHandler(FrontDoorServices shared, WebChatOptions webChat, ILogger<WebSocketSession> logger)
    : SessionFactory(shared, logger)
{
    protected override ChatSession CreateSession(ConnectionContext connection, SessionServices services)
    {
        var session = new WebSocketSession(connection, services, webChat.NicknameTimeout);

        // The WebSocket object's pongs, pings and close go out through the session's outbox, so that is the socket's
        // one writer (and a browser that never reads is cut off for those too).
        (connection as WebSocketConnection)?.RouteFramesTo(session.QueueSocketFrame);
        return session;
    }
}
