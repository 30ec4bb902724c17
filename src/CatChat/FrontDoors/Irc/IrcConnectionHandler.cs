using CatChat.Chat;
using CatChat.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CatChat.FrontDoors.Irc;

/// <summary>The IRC front door's Factory: an <see cref="IrcSession"/> for every connection of the plain and TLS IRC ports.</summary>
internal sealed class IrcConnectionHandler(
    ChatRoom room,
    IrcOptions irc,
    IOptionsMonitor<ChatOptions> chatOptions,
    IOptionsMonitor<SessionLimits> options,
    TimeProvider time,
    ILogger<IrcSession> logger,
    FlushLanes? lanes = null,
    ConnectionAdmission? admission = null,
    IChatStore? store = null)
    : SessionFactory(room, chatOptions, options, time, logger, lanes, admission, store)
{
    // When this server started, for RPL_CREATED.
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    // One for the plain and the TLS port: Kestrel's endpoint and CatChat's transport are given this same singleton.
    private readonly IrcServerState _state = new(room.Events);

    protected override ChatSession CreateSession(ConnectionContext connection, SessionServices services) =>
        new IrcSession(connection, services, irc, _startedAt, _state);
}
