namespace CatChat.Chat;

/// <summary>
/// The chat's counters, kept with interlocked adds so the hot path takes no lock. Exported on
/// <c>/metrics</c> in the Prometheus text format.
/// </summary>
public sealed class ChatMetrics
{
    private long _connectionsAccepted;
    private long _connectionsRefused;
    private long _linesReceived;
    private long _bytesReceived;
    private long _linesDelivered;
    private long _bytesSent;
    private long _linesDelayedByFloodControl;
    private long _clientsDroppedForFlood;
    private long _clientsDroppedAsSlow;
    private long _linesTooLong;
    private long _historyWritten;
    private long _historyDropped;
    private long _historyWriteFailures;

    public LatencyHistogram BroadcastLatency { get; } =
        new(0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1);

    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);
    public long ConnectionsRefused => Interlocked.Read(ref _connectionsRefused);
    public long LinesReceived => Interlocked.Read(ref _linesReceived);
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);
    public long LinesDelivered => Interlocked.Read(ref _linesDelivered);
    public long BytesSent => Interlocked.Read(ref _bytesSent);
    public long LinesDelayedByFloodControl => Interlocked.Read(ref _linesDelayedByFloodControl);
    public long ClientsDroppedForFlood => Interlocked.Read(ref _clientsDroppedForFlood);
    public long ClientsDroppedAsSlow => Interlocked.Read(ref _clientsDroppedAsSlow);
    public long LinesTooLong => Interlocked.Read(ref _linesTooLong);
    public long HistoryLinesWritten => Interlocked.Read(ref _historyWritten);
    public long HistoryLinesDropped => Interlocked.Read(ref _historyDropped);
    public long HistoryWriteFailures => Interlocked.Read(ref _historyWriteFailures);

    public void ConnectionAccepted() => Interlocked.Increment(ref _connectionsAccepted);
    public void ConnectionRefused() => Interlocked.Increment(ref _connectionsRefused);

    public void LineReceived(long bytes)
    {
        Interlocked.Increment(ref _linesReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
    }

    public void LinesDeliveredTo(int recipients) => Interlocked.Add(ref _linesDelivered, recipients);
    public void Sent(long bytes) => Interlocked.Add(ref _bytesSent, bytes);
    public void LineDelayedByFloodControl() => Interlocked.Increment(ref _linesDelayedByFloodControl);
    public void ClientDroppedForFlood() => Interlocked.Increment(ref _clientsDroppedForFlood);
    public void ClientDroppedAsSlow() => Interlocked.Increment(ref _clientsDroppedAsSlow);
    public void LineTooLong() => Interlocked.Increment(ref _linesTooLong);
    public void HistoryWritten(int lines) => Interlocked.Add(ref _historyWritten, lines);
    public long HistoryLineDropped() => Interlocked.Increment(ref _historyDropped);
    public void HistoryWriteFailed() => Interlocked.Increment(ref _historyWriteFailures);
}
