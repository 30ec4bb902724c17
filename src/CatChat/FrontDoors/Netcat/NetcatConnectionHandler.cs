using CatChat.Chat;
using CatChat.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CatChat.FrontDoors.Netcat;

/// <summary>The netcat front door's Factory: a <see cref="NetcatSession"/> for every connection of the plain and TLS chat ports.</summary>
internal sealed class NetcatConnectionHandler(
    ChatRoom room,
    IOptionsMonitor<ChatOptions> chatOptions,
    IOptionsMonitor<SessionLimits> options,
    TimeProvider time,
    ILogger<NetcatSession> logger,
    FlushLanes? lanes = null,
    ConnectionAdmission? admission = null,
    IChatStore? store = null)
    : SessionFactory(room, chatOptions, options, time, logger, lanes, admission, store)
{
    protected override ChatSession CreateSession(ConnectionContext connection, SessionServices services) => new NetcatSession(connection, services);
}
