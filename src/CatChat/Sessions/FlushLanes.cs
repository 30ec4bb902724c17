namespace CatChat.Sessions;

/// <summary>
/// One <see cref="FlushLane"/> per core, handed out round robin so connections spread over the cores; each holds its
/// turns <paramref name="hold"/> apart while busy (zero: never).
/// </summary>
public sealed class FlushLanes(IWriteCoalescer? coalescer = null, TimeSpan hold = default)
{
    private readonly FlushLane[] _lanes = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new FlushLane(manual: false, coalescer, hold))];
    private int _lastLane;

    /// <summary>Lanes that send each connection's writes on their own (tests, and outboxes made without lanes of their own).</summary>
    internal static FlushLanes Uncoalesced { get; } = new();

    /// <summary>The lane for a new outbox.</summary>
    public FlushLane Next() => _lanes[(int)((uint)Interlocked.Increment(ref _lastLane) % (uint)_lanes.Length)];
}
