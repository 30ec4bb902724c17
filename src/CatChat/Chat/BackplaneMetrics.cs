namespace CatChat.Chat;

/// <summary>The backplane's counters, exported on <c>/metrics</c> when this node is part of a cluster.</summary>
public sealed class BackplaneMetrics
{
    private long _published;
    private long _publishDropped;
    private long _received;
    private long _receiveDropped;
    private long _rejected;
    private long _duplicates;
    private long _gaps;
    private long _resyncs;
    private long _splits;
    private long _nodesLost;

    public long Published => Interlocked.Read(ref _published);
    public long PublishDropped => Interlocked.Read(ref _publishDropped);
    public long Received => Interlocked.Read(ref _received);
    public long ReceiveDropped => Interlocked.Read(ref _receiveDropped);
    public long Rejected => Interlocked.Read(ref _rejected);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Gaps => Interlocked.Read(ref _gaps);
    public long Resyncs => Interlocked.Read(ref _resyncs);
    public long Splits => Interlocked.Read(ref _splits);
    public long NodesLost => Interlocked.Read(ref _nodesLost);

    public void PublishedMessages(int count) => Interlocked.Add(ref _published, count);
    public void PublishDroppedMessage() => Interlocked.Increment(ref _publishDropped);
    public void ReceivedMessage() => Interlocked.Increment(ref _received);
    public void ReceiveDroppedMessage() => Interlocked.Increment(ref _receiveDropped);
    public void RejectedMessage() => Interlocked.Increment(ref _rejected);
    public void DuplicateMessage() => Interlocked.Increment(ref _duplicates);
    public void GapDetected() => Interlocked.Increment(ref _gaps);
    public void Resynced() => Interlocked.Increment(ref _resyncs);
    public void SplitStarted() => Interlocked.Increment(ref _splits);
    public void NodeLost() => Interlocked.Increment(ref _nodesLost);
}
