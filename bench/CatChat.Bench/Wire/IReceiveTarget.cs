namespace CatChat.Bench.Wire;

/// <summary>What <see cref="UringReceiver"/> hands a connection's bytes to. Called on the receiver's thread only.</summary>
internal interface IReceiveTarget
{
    /// <summary>
    /// Bytes that reached the socket at <paramref name="receivedAt"/> and were read at <paramref name="readAt"/>
    /// (<see cref="System.Diagnostics.Stopwatch"/> ticks); valid only during the call. False stops receiving (the target
    /// has failed): nothing more is delivered, only the end.
    /// </summary>
    bool OnReceived(ReadOnlySpan<byte> data, long receivedAt, long readAt);

    /// <summary>Receiving is over: <paramref name="failure"/> is null at the end of the stream (the peer or our shutdown closed it).</summary>
    void OnReceiveEnded(string? failure);
}
