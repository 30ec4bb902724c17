using Microsoft.Extensions.Hosting;

namespace CatChat.Hosting;

/// <summary>
/// Hands a burst's garbage back to the system once the server goes quiet. The collector runs only when code
/// allocates, so after a storm of logins the garbage it left (up to a whole allocation budget) stays resident
/// for as long as the thousands of new connections sit idle: often for hours. Every half second the
/// <see cref="HeapTrimPolicy"/> decides; a trim is one blocking, compacting collection that also returns the
/// freed memory to the system. A busy chat never meets the policy; a quiet one rarely.
/// </summary>
internal sealed class IdleHeapTrimmer(TimeProvider time) : BackgroundService
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
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    policy.Trimmed(GC.GetTotalAllocatedBytes());
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
