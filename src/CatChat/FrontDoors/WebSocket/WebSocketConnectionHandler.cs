using CatChat.Chat;
using CatChat.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>The web chat's Factory: a <see cref="WebSocketSession"/> for every socket <see cref="WebChatEndpoint"/> accepts, admitted as every chat connection is.</summary>
internal sealed class WebSocketConnectionHandler(
    ChatRoom room,
    WebChatOptions webChat,
    IOptionsMonitor<ChatOptions> chatOptions,
    IOptionsMonitor<SessionLimits> options,
    TimeProvider time,
    ILogger<WebSocketSession> logger,
    FlushLanes? lanes = null,
    ConnectionAdmission? admission = null,
    IChatStore? store = null)
    : SessionFactory(room, chatOptions, options, time, logger, lanes, admission, store)
{
    protected override ChatSession CreateSession(ConnectionContext connection, SessionServices services) => new WebSocketSession(connection, services, webChat.NicknameTimeout);
}
