namespace CatChat.Transport;

/// <summary>Something registered with the <see cref="EpollReactor"/>: told which events its descriptor has.</summary>
internal interface IReadinessHandler
{
    /// <summary>Called on the reactor's thread: return quickly, leaving real work to the thread pool.</summary>
    void OnReady(uint events);
}
