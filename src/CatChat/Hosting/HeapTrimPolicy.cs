namespace CatChat.Hosting;

/// <summary>
/// When <see cref="IdleHeapTrimmer"/> collects: enough allocated since the last trim to matter (4 MiB, and a
/// quarter of the heap, so the pause of a compacting collection stays rare however big the heap of idle
/// connections is), and almost nothing allocated since the last check (a chat of a few lines a second
/// allocates far less than the quiet limit).
/// </summary>
internal sealed class HeapTrimPolicy(long allocatedAtStart)
{
    public const long QuietBytesPerCheck = 128 * 1024;
    public const long MinimumTrimBytes = 4 * 1024 * 1024;

    // Counted from the process's start: start-up's own garbage is the first to go once the server is quiet.
    private long _allocatedAtTrim;
    private long _allocatedAtCheck = allocatedAtStart;

    /// <summary>Called every check with the process's allocation counter and heap size: true to trim now.</summary>
    public bool ShouldTrim(long allocated, long heapBytes)
    {
        var quiet = allocated - _allocatedAtCheck < QuietBytesPerCheck;
        _allocatedAtCheck = allocated;
        return quiet && allocated - _allocatedAtTrim >= Math.Max(MinimumTrimBytes, heapBytes / 4);
    }

    /// <summary>A trim was made; the counter as it stands after it.</summary>
    public void Trimmed(long allocated) => _allocatedAtTrim = _allocatedAtCheck = allocated;
}
