namespace CatChat.Transport;

/// <summary>A connection whose TCP keepalive can be set directly (CatChat's own sockets; Kestrel's go through their Socket).</summary>
internal interface IKeepAliveSocket
{
    void EnableKeepAlive(int idleSeconds, int intervalSeconds, int probes);

    bool KeepAliveEnabled { get; }
}
