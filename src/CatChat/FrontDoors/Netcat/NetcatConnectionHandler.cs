using CatChat.Chat;
using CatChat.Hosting;
using CatChat.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CatChat.FrontDoors.Netcat;

/// <summary>The netcat front door's Factory: a <see cref="NetcatSession"/> for every connection of the plain and TLS chat ports.</summary>
internal sealed class NetcatConnectionHandler(
    ChatRoom room,
    CatChatOptions options,
    TimeProvider time,
    ILogger<NetcatSession> logger,
    FlushLanes? lanes = null,
    ConnectionAdmission? admission = null,
    IChatStore? store = null,
    LiveOptions? live = null)
    : SessionFactory(room, options, time, logger, lanes, admission, store, live)
{
    protected override ChatSession CreateSession(ConnectionContext connection, SessionServices services) => new NetcatSession(connection, services);
}
