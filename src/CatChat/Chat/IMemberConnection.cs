namespace CatChat.Chat;

/// <summary>
/// The connection behind a <see cref="ChatMember"/>, as the room and the member's outbox reach it. An interface
/// rather than delegates: the session implements it, so an idle connection carries no closure objects.
/// </summary>
public interface IMemberConnection
{
    /// <summary>Close after sending what is queued (a kick, a quit, the server stopping).</summary>
    void Close(string reason);

    /// <summary>The member's outbox overflowed: the peer does not read, so its connection is dropped.</summary>
    void OnSlowConsumer();
}
