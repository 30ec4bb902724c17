namespace CatChat.Sessions;

/// <summary>
/// A transport's way to send many connections' writes together (CatChat's own sockets batch them into one io_uring
/// call). A flush lane brackets its turn with <see cref="Begin"/> and <see cref="End"/> and calls <see cref="Submit"/>
/// between writing its outboxes and flushing them, so each flush finds its bytes already sent.
/// </summary>
public interface IWriteCoalescer
{
    /// <summary>Starts gathering the writes made on this thread.</summary>
    void Begin();

    /// <summary>Sends everything written on this thread since <see cref="Begin"/> or the last submit.</summary>
    void Submit();

    /// <summary>Sends what is left and stops gathering on this thread.</summary>
    void End();
}
