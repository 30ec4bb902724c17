using CatChat.Chat;
using Microsoft.Extensions.Options;

namespace CatChat.Sessions;

/// <summary>
/// What every front door's Factory is made of, taken from the container in one piece; the logger, which names the
/// front door's session, comes beside it. Lanes, admission and the store are optional (tests go without them).
/// </summary>
internal sealed record FrontDoorServices(
    ChatRoom Room,
    IOptionsMonitor<ChatOptions> ChatOptions,
    IOptionsMonitor<SessionLimits> Limits,
    TimeProvider Time,
    FlushLanes? Lanes = null,
    ConnectionAdmission? Admission = null,
    IChatStore? Store = null);
