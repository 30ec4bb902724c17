namespace CatChat.Bench.Wire;

/// <summary>What a frame parser reports: the benchmark messages it found, and the one reply that means "ready".</summary>
internal interface IFrameSink
{
    /// <summary>A benchmark message's text; valid only during the call (it points into the receive buffer).</summary>
    void OnPayload(ReadOnlySpan<byte> text);

    /// <summary>The server has taken the connection in: CatChat's welcome notice, Redis's subscribe confirmation.</summary>
    void OnReady();
}
