using CatChat.Chat;

namespace CatChat.Persistence;

/// <summary>Prunes history past its retention age or row cap, in the background, once an hour.</summary>
internal sealed class HistoryPruner(IChatStore store, PersistenceOptions options, TimeProvider time, ILogger<HistoryPruner> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var olderThan = options.HistoryRetention > TimeSpan.Zero ? time.GetUtcNow() - options.HistoryRetention : DateTimeOffset.MinValue;
            try
            {
                var pruned = await store.PruneHistoryAsync(olderThan, options.HistoryMaxRows, stoppingToken).ConfigureAwait(false);
                if (pruned > 0)
                {
                    PersistenceLog.HistoryPruned(logger, pruned);
                }
            }
            catch (StoreUnavailableException)
            {
                // The writer already reports the outage; pruning simply waits for the next round.
            }

            await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
        }
    }
}
