using CatChat.Chat;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CatChat.Sessions;

/// <summary>
/// What every session of one front door shares: the room, the settings it arrived under, the clock, the flush lanes.
/// One object for all of them, so each idle connection holds one reference instead of one per service.
/// </summary>
internal sealed class SessionServices(
    ChatRoom room,
    ChatOptions chatOptions,
    SessionLimits options,
    TimeProvider time,
    ILogger logger,
    IChatStore? store,
    FlushLanes lanes,
    Action<ConnectionContext>? ended)
{
    public ChatRoom Room { get; } = room;

    public ChatOptions ChatOptions { get; } = chatOptions;

    public SessionLimits Options { get; } = options;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    public IChatStore? Store { get; } = store;

    public FlushLanes Lanes { get; } = lanes;

    /// <summary>Told when a session is over, whatever way it ended (instead of a task awaited for the connection's life).</summary>
    public Action<ConnectionContext>? Ended { get; } = ended;
}
