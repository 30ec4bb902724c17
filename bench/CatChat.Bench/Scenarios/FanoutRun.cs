namespace CatChat.Bench.Scenarios;

/// <summary>
/// What all clients of one fan-out run share: its id (so messages of other runs are ignored), the message size,
/// the senders' windows and the measured period. Deliveries in the period are tallied per thread.
/// </summary>
internal sealed class FanoutRun
{
    private readonly ThreadLocal<ThreadTally> _tallies = new(() => new ThreadTally(), trackAllValues: true);
    private long _measureStart = long.MaxValue;
    private long _measureEnd = long.MaxValue;

    private readonly Func<int, int>? _nodeOf;

    /// <param name="nodeOf">For a cluster: the node of a client (senders are clients 0 to S-1), to tell local deliveries from crossings.</param>
    /// <param name="rooms">For a rooms run: who is in which room (its senders must be <paramref name="senders"/>); null when all are in one.</param>
    public FanoutRun(uint id, int size, int senders, int window, Func<int, int>? nodeOf = null, RoomLayout? rooms = null)
    {
        if (rooms is not null && rooms.Senders != senders)
        {
            throw new ArgumentException("the room layout's senders are the run's", nameof(rooms));
        }

        _nodeOf = nodeOf;
        Rooms = rooms;
        Id = id;
        Size = size;
        Senders = senders;
        Windows = window > 0 ? [.. Enumerable.Range(0, senders).Select(_ => new SenderWindow(window))] : null;
    }

    public uint Id { get; }

    public int Size { get; }

    public int Senders { get; }

    /// <summary>True when a sender receives its own messages back (the web chat): they are ignored, neither deliveries nor malformed.</summary>
    public bool EchoesToSender { get; init; }

    /// <summary>A rooms run's layout: each message is for its sender's room only. Null when everyone is in one room (fanout).</summary>
    public RoomLayout? Rooms { get; }

    /// <summary>The senders' windows in a closed-loop run; null at a fixed rate.</summary>
    public SenderWindow[]? Windows { get; }

    public long MeasureStart => Volatile.Read(ref _measureStart);

    public long MeasureEnd => Volatile.Read(ref _measureEnd);

    public void BeginMeasuring(long now) => Volatile.Write(ref _measureStart, now);

    public void EndMeasuring(long now) => Volatile.Write(ref _measureEnd, now);

    public bool InMeasuredPeriod(long timestamp) => timestamp >= MeasureStart && timestamp < MeasureEnd;

    /// <summary>The calling thread's tally: a receive loop takes it once per read, not once per message.</summary>
    public ThreadTally TallyOfThisThread => _tallies.Value!;

    /// <summary>
    /// A receiver got a message for the first time; <paramref name="tally"/> is its thread's. It reached the socket at
    /// <paramref name="receivedAt"/> and the load generator read it at <paramref name="readAt"/>.
    /// </summary>
    public void Delivered(ThreadTally tally, int sender, uint sequence, long sentAt, long receivedAt, long readAt, int receiverNode = 0)
    {
        if (InMeasuredPeriod(receivedAt))
        {
            tally.Deliveries++;
            tally.Latency.Record(receivedAt - sentAt);
            tally.ReadLag.Record(readAt - receivedAt);
            if (_nodeOf is not null)
            {
                (_nodeOf(sender) == receiverNode ? tally.LocalLatency : tally.RemoteLatency).Record(receivedAt - sentAt);
            }
        }

        Windows?[sender].Acknowledge(sequence);
    }

    /// <summary>The per-thread tallies merged; call once receiving in the measured period is over.</summary>
    public ThreadTally Total()
    {
        var total = new ThreadTally();
        foreach (var tally in _tallies.Values)
        {
            total.Latency.Add(tally.Latency);
            total.LocalLatency.Add(tally.LocalLatency);
            total.RemoteLatency.Add(tally.RemoteLatency);
            total.ReadLag.Add(tally.ReadLag);
            total.Deliveries += tally.Deliveries;
        }

        return total;
    }
}
