using CatChat.Chat;
using CatChat.Persistence;
using Microsoft.Extensions.Logging.Abstractions;

namespace CatChat.Tests;

public class HistoryWriterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FullBatchIsStoredWithoutWaitingOutTheGatherWindow()
    {
        var clock = new WatchedClock(new DateTimeOffset(2000 + Random.Shared.Next(50), 3, 14, 0, 0, 0, TimeSpan.Zero));
        var store = new BatchRecorder();
        var writer = new HistoryWriter(10_000, TimeSpan.FromSeconds(5), store, new ChatMetrics(), clock, NullLogger<HistoryWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        try
        {
            writer.Add(Line(clock, 0));
            await clock.WaitedOn.WaitAsync(Patience); // the writer has begun to gather

            for (var i = 1; i < HistoryWriter.MaxBatch; i++)
            {
                writer.Add(Line(clock, i));
            }

            clock.Advance(HistoryWriter.GatherStep);

            var stored = await store.FirstBatch.Task.WaitAsync(Patience);
            Assert.Equal(Enumerable.Range(0, HistoryWriter.MaxBatch).Select(i => $"line {i}"), stored.Select(e => e.Text));
        }
        finally
        {
            // The fake clock never reaches the flush timeout: bound the stop in real time instead.
            using var stopping = new CancellationTokenSource(Patience);
            await writer.StopAsync(stopping.Token);
        }
    }

    private static HistoryEntry Line(TimeProvider clock, int i) => new(clock.GetUtcNow(), HistoryKind.Message, "alice", $"line {i}");

    /// <summary>A store that keeps a copy of the first history batch it is given.</summary>
    private sealed class BatchRecorder : IChatStore
    {
        public TaskCompletionSource<HistoryEntry[]> FirstBatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task AppendHistoryAsync(IReadOnlyList<HistoryEntry> batch, CancellationToken cancel)
        {
            FirstBatch.TrySetResult([.. batch]);
            return Task.CompletedTask;
        }

        public Task<string?> GetSettingAsync(string key, CancellationToken cancel) => throw new NotSupportedException();

        public Task SaveSettingAsync(string key, string value, AuditEntry audit, CancellationToken cancel) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<string, string>> ReadSettingsAsync(string prefix, CancellationToken cancel) => throw new NotSupportedException();

        public Task AppendAuditAsync(AuditEntry audit, CancellationToken cancel) => throw new NotSupportedException();

        public Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(DateTimeOffset? before, int limit, string? search, string? room, CancellationToken cancel) =>
            throw new NotSupportedException();

        public Task<HistoryPage> ReadHistoryPageAsync(HistoryCursor? before, int limit, string? search, string? room, CancellationToken cancel) =>
            throw new NotSupportedException();

        public Task<int> PruneHistoryAsync(DateTimeOffset olderThan, int keepRows, CancellationToken cancel) => throw new NotSupportedException();
    }
}
