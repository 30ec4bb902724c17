using Microsoft.Extensions.Logging;

namespace CatChat.Sessions;

/// <summary>Log messages of chat sessions, whatever their front door. Never the contents of a message at Information level.</summary>
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Chat connection {ConnectionId} from {RemoteAddress} joined as {Nick}")]
    public static partial void Connected(ILogger logger, string connectionId, string remoteAddress, string nick);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Chat connection {ConnectionId} from {RemoteAddress} ({Nick}) closed: {Reason}")]
    public static partial void Disconnected(ILogger logger, string connectionId, string remoteAddress, string nick, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Chat connection {ConnectionId} from {RemoteAddress} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string connectionId, string remoteAddress, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Chat connection {ConnectionId} from {RemoteAddress} ({Nick}) failed")]
    public static partial void Failed(ILogger logger, string connectionId, string remoteAddress, string nick, Exception exception);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "Chat connection {ConnectionId} ended with an unexpected error")]
    public static partial void ServeFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "{Nick} renamed to {NewNick}")]
    public static partial void Renamed(ILogger logger, string nick, string newNick);
}
