using CatChat.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>The web chat's Factory: a <see cref="WebSocketSession"/> for every socket <see cref="WebChatEndpoint"/> accepts, admitted as every chat connection is.</summary>
internal sealed class WebSocketConnectionHandler(FrontDoorServices shared, WebChatOptions webChat, ILogger<WebSocketSession> logger)
    : SessionFactory(shared, logger)
{
    // The WebSocket object's pongs, pings and close go out through the session's outbox (IOwnFramesConnection), so that
    // is the socket's one writer, and a browser that never reads is cut off for those too.
    protected override ChatSession CreateSession(ConnectionContext connection, SessionServices services) =>
        new WebSocketSession(connection, services, webChat.NicknameTimeout);
}
