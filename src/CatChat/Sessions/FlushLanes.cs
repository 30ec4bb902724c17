namespace CatChat.Sessions;

/// <summary>One <see cref="FlushLane"/> per core, handed out round robin so connections spread over the cores.</summary>
public sealed class FlushLanes(IWriteCoalescer? coalescer = null)
{
    private readonly FlushLane[] _lanes = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new FlushLane(manual: false, coalescer))];
    private int _lastLane;

    /// <summary>Lanes that send each connection's writes on their own (tests, and outboxes made without lanes of their own).</summary>
    internal static FlushLanes Uncoalesced { get; } = new();

    /// <summary>The lane for a new outbox.</summary>
    public FlushLane Next() => _lanes[(int)((uint)Interlocked.Increment(ref _lastLane) % (uint)_lanes.Length)];
}
