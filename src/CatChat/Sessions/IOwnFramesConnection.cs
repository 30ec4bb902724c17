namespace CatChat.Sessions;

/// <summary>
/// A connection that sends frames of its own beside the session's output (a WebSocket's pongs, keep-alive pings and
/// close). They must leave in order with it and be held back with it from a client that never reads, so the session's
/// outbox, the connection's one writer, takes them: <see cref="SessionFactory"/> hands each new session over.
/// </summary>
internal interface IOwnFramesConnection
{
    /// <summary>From now on the connection's own frames are queued with <see cref="ChatSession.QueueConnectionFrame"/>.</summary>
    void RouteFramesTo(ChatSession session);
}
