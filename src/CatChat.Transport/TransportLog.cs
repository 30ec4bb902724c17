using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace CatChat.Transport;

/// <summary>Log messages of the socket transport. Event ids 1101 (listening) and 1103 belong to whoever serves the connections.</summary>
internal static partial class TransportLog
{
    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Accepting a connection failed: {Error}")]
    public static partial void AcceptFailed(ILogger logger, SocketError error, Exception exception);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "Connection {ConnectionId} ended with an unexpected error")]
    public static partial void ConnectionFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "A socket's event handler failed")]
    public static partial void ReactorHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Connections now also accepted into io_uring: {Rings} ring(s) of {PerRing} direct descriptors each")]
    public static partial void UringStarted(ILogger logger, int rings, uint perRing);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "io_uring is not available, so connections stay within the open-files limit: {Reason}")]
    public static partial void UringUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "Sends are not batched, because io_uring is not available: {Reason}")]
    public static partial void SendBatchingUnavailable(ILogger logger, string reason);
}
