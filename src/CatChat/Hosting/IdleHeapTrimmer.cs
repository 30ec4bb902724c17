using System.Diagnostics;
using CatChat.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CatChat.Hosting;

/// <summary>
/// Hands a burst's garbage back to the system once the server goes quiet. The collector runs only when code
/// allocates, so after a storm of logins the garbage it left (up to a whole allocation budget) stays resident
/// for as long as the thousands of new connections sit idle: often for hours. Every half second the
/// <see cref="HeapTrimPolicy"/> decides; a trim empties the transport's pool of send buffers, then makes one blocking,
/// compacting collection that also returns the freed memory to the system. A busy chat never meets the policy; a
/// quiet one rarely.
/// </summary>
internal sealed partial class IdleHeapTrimmer(TimeProvider time, ILogger<IdleHeapTrimmer> logger) : BackgroundService
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery, time);
        var policy = new HeapTrimPolicy(GC.GetTotalAllocatedBytes());
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (policy.ShouldTrim(GC.GetTotalAllocatedBytes(), GC.GetGCMemoryInfo().HeapSizeBytes))
                {
                    Trim();
                    policy.Trimmed(GC.GetTotalAllocatedBytes());
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// One trim: the transport's pooled send buffers are let go first, so the compacting collection that follows frees
    /// them with the rest of the garbage and returns it all to the system.
    /// </summary>
    internal void Trim()
    {
        var committedBefore = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var started = Stopwatch.GetTimestamp();
        var pooled = TransportBuffers.ReleasePooled();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var pause = Stopwatch.GetElapsedTime(started);
        var after = GC.GetGCMemoryInfo();
        HeapTrimmed(logger, (committedBefore - after.TotalCommittedBytes) >> 20, pause.TotalMilliseconds, after.HeapSizeBytes >> 20, pooled >> 10);
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Quiet after a busy spell: returned {ReturnedMiB} MiB to the system in {PauseMs:F1} ms; the heap holds {HeapMiB} MiB; {PooledKiB} KiB of pooled send buffers let go")]
    private static partial void HeapTrimmed(ILogger logger, long returnedMiB, double pauseMs, long heapMiB, long pooledKiB);
}
