namespace CatChat.Backplane;

/// <summary>Log messages of the Redis backplane.</summary>
internal static partial class BackplaneLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Joined the cluster through Redis as node {Node} ({NodeId})")]
    public static partial void Joined(ILogger logger, string node, string nodeId);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "The chat is split: Redis cannot be reached ({Reason}); serving this node's users alone until it is back")]
    public static partial void Split(ILogger logger, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "The chat is whole again: back in the cluster through Redis")]
    public static partial void Whole(ILogger logger);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Redis cannot be reached at start ({Reason}); serving this node's users alone until it is")]
    public static partial void Unreachable(ILogger logger, string reason);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Lost node {Node} ({NodeId}): no word from it since {LastSeen:o}; {Users} users left with it")]
    public static partial void NodeLost(ILogger logger, string node, string nodeId, DateTimeOffset lastSeen, int users);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Debug, Message = "Dropped a message from the bus: {Reason}")]
    public static partial void Rejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Debug, Message = "Read the users of node {NodeId} from Redis: {Users}")]
    public static partial void Resynced(ILogger logger, string nodeId, int users);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Error, Message = "Handling a message from the bus failed")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Information, Message = "Node {Node} ({NodeId}) shut down")]
    public static partial void NodeLeft(ILogger logger, string node, string nodeId);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "Redis failed: {Reason}")]
    public static partial void RedisFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Redis pub/sub: {Mode}; each room other than the default one has a channel of its own")]
    public static partial void PubSubMode(ILogger logger, string mode);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "This node's presence had expired from Redis (it went unheard for the presence timeout: a pause or a stall); wrote its {Users} users again")]
    public static partial void PresenceExpired(ILogger logger, int users);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Error, Message = "Redis refused this node's password ({Refusal}): the password in --redis must be Redis's requirepass; serving this node's users alone until it is")]
    public static partial void PasswordRefused(ILogger logger, string refusal);
}
