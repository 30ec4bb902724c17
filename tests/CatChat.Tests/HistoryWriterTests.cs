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

    [Fact]
    public async Task RedactingALineStillInTheQueueMeansItIsNeverStored()
    {
        var (clock, store, writer) = await StartAsync();
        try
        {
            writer.Add(Line(clock, "a"));
            writer.Add(Line(clock, "b"));
            writer.Redact("a");
            writer.Add(Line(clock, "c"));

            await DriveUntilAsync(clock, store, calls: 1);
        }
        finally
        {
            await StopAsync(writer);
        }

        // Stopped, so the log is complete: the line left the batch, and nothing was deleted.
        Assert.Equal(["append b c"], store.Log);
    }

    [Fact]
    public async Task RedactingAStoredLineDeletesItOnceTheLinesQueuedBeforeItAreStored()
    {
        var (clock, store, writer) = await StartAsync();
        try
        {
            writer.Add(Line(clock, "a"));
            await DriveUntilAsync(clock, store, calls: 1);

            writer.Add(Line(clock, "b"));
            writer.Redact("a");
            writer.Add(Line(clock, "c"));
            await DriveUntilAsync(clock, store, calls: 3);

            // A redaction with no line beside it: a delete, and no empty batch.
            writer.Redact("b");
            await DriveUntilAsync(clock, store, calls: 4);
        }
        finally
        {
            await StopAsync(writer);
        }

        Assert.Equal(["append a", "append b c", "delete a", "delete b"], store.Log);
    }

    [Fact]
    public async Task RedactionWaitsWhileTheStoreIsAwayAndIsDoneAfterTheLinesBeforeIt()
    {
        var (clock, store, writer) = await StartAsync();
        try
        {
            writer.Add(Line(clock, "a"));
            await DriveUntilAsync(clock, store, calls: 1);

            store.AppendsAway = store.DeletesAway = true;
            writer.Add(Line(clock, "b"));
            writer.Redact("a");
            await DriveUntilAsync(clock, store, calls: 2);
            await clock.WaitedOn.WaitAsync(Patience); // the retry's delay: the failure is known by then
            Assert.NotNull(writer.Failing);

            store.AppendsAway = store.DeletesAway = false;
            await DriveUntilAsync(clock, store, calls: 4);
        }
        finally
        {
            await StopAsync(writer);
        }

        Assert.Equal(["append a", "refused append b", "append b", "delete a"], store.Log);
        Assert.Null(writer.Failing);
    }

    [Fact]
    public async Task RefusedDeleteIsRetriedWithoutStoringItsBatchAgain()
    {
        var (clock, store, writer) = await StartAsync();
        try
        {
            writer.Add(Line(clock, "a"));
            await DriveUntilAsync(clock, store, calls: 1);

            store.DeletesAway = true;
            writer.Add(Line(clock, "b"));
            writer.Redact("a");
            await DriveUntilAsync(clock, store, calls: 3);
            await clock.WaitedOn.WaitAsync(Patience); // the retry's delay: the failure is known by then
            Assert.NotNull(writer.Failing);

            store.DeletesAway = false;
            await DriveUntilAsync(clock, store, calls: 4);
        }
        finally
        {
            await StopAsync(writer);
        }

        Assert.Equal(["append a", "append b", "refused delete a", "delete a"], store.Log);
        Assert.Null(writer.Failing);
    }

    [Fact]
    public async Task RedactionTheFullQueueDropsIsStillDoneAfterItsLineAndIsNotCountedAsALostLine()
    {
        var metrics = new ChatMetrics();
        var (clock, store, writer) = await StartAsync(capacity: 2, metrics);
        var storing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.AppendGate = storing.Task;
        try
        {
            writer.Add(Line(clock, "a"));
            await DriveUntilAsync(clock, store, calls: 1); // the writer is storing line a, and reads nothing meanwhile

            writer.Redact("a");
            writer.Add(Line(clock, "b"));
            writer.Add(Line(clock, "c")); // the queue holds two: drops the redaction
            writer.Add(Line(clock, "d")); // drops line b
            Assert.Equal(1, metrics.HistoryLinesDropped);

            store.AppendGate = Task.CompletedTask;
            storing.SetResult();
            await DriveUntilAsync(clock, store, calls: 3);
        }
        finally
        {
            await StopAsync(writer);
        }

        Assert.Equal(["append a", "delete a", "append c d"], store.Log);
    }

    private static HistoryEntry Line(TimeProvider clock, int i) => new(clock.GetUtcNow(), HistoryKind.Message, "alice", $"line {i}");

    /// <summary>A line whose text is its message id.</summary>
    private static HistoryEntry Line(TimeProvider clock, string messageId) => new(clock.GetUtcNow(), HistoryKind.Message, "alice", messageId, MessageId: messageId);

    private static async Task<(WatchedClock Clock, BatchRecorder Store, HistoryWriter Writer)> StartAsync(int capacity = 10_000, ChatMetrics? metrics = null)
    {
        var clock = new WatchedClock(new DateTimeOffset(2000 + Random.Shared.Next(50), 3, 14, 0, 0, 0, TimeSpan.Zero));
        var store = new BatchRecorder();
        var writer = new HistoryWriter(capacity, TimeSpan.FromSeconds(5), store, metrics ?? new ChatMetrics(), clock, NullLogger<HistoryWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        return (clock, store, writer);
    }

    private static async Task StopAsync(HistoryWriter writer)
    {
        // The fake clock never reaches the flush timeout: bound the stop in real time instead.
        using var stopping = new CancellationTokenSource(Patience);
        await writer.StopAsync(stopping.Token);
    }

    /// <summary>
    /// Moves the clock a gather step at a time, each time once the writer waits on it, until the store has had
    /// <paramref name="calls"/> calls (the gather window and the retry delays pass this way).
    /// </summary>
    private static async Task DriveUntilAsync(WatchedClock clock, BatchRecorder store, int calls)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            var called = store.Called;
            if (store.Log.Count >= calls)
            {
                return;
            }

            await Task.WhenAny(called, clock.WaitedOn).WaitAsync(patience.Token);
            if (!called.IsCompleted)
            {
                clock.Advance(HistoryWriter.GatherStep);
            }
        }
    }

    /// <summary>
    /// A store that keeps a copy of the first history batch it is given, and a log of its history calls
    /// ("append a b", "delete a", "refused append a b"); it refuses appends or deletes while told to.
    /// </summary>
    private sealed class BatchRecorder : IChatStore
    {
        private readonly Lock _gate = new();
        private readonly List<string> _log = [];
        private TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<HistoryEntry[]> FirstBatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool AppendsAway;

        public volatile bool DeletesAway;

        /// <summary>What a stored batch waits for before its append returns.</summary>
        public Task AppendGate { get; set; } = Task.CompletedTask;

        public IReadOnlyList<string> Log
        {
            get
            {
                lock (_gate)
                {
                    return [.. _log];
                }
            }
        }

        /// <summary>Completes at the next call.</summary>
        public Task Called
        {
            get
            {
                lock (_gate)
                {
                    return _called.Task;
                }
            }
        }

        public Task AppendHistoryAsync(IReadOnlyList<HistoryEntry> batch, CancellationToken cancel)
        {
            if (!Record(AppendsAway, "append " + string.Join(' ', batch.Select(e => e.Text))))
            {
                return Task.FromException(new StoreUnavailableException("the store is away"));
            }

            FirstBatch.TrySetResult([.. batch]);
            return AppendGate;
        }

        public Task<int> DeleteHistoryAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancel) =>
            Record(DeletesAway, "delete " + string.Join(' ', messageIds))
                ? Task.FromResult(messageIds.Count)
                : Task.FromException<int>(new StoreUnavailableException("the store is away"));

        /// <summary>Logs a call; false when it is refused.</summary>
        private bool Record(bool away, string call)
        {
            lock (_gate)
            {
                _log.Add(away ? "refused " + call : call);
                _called.TrySetResult();
                _called = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return !away;
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

        public Task<IReadOnlyList<HistoryEntry>> ReadSpokenLinesAsync(string? room, HistoryCursor? after, HistoryCursor? before, int limit, bool newest, CancellationToken cancel) =>
            throw new NotSupportedException();

        public Task<HistoryCursor?> FindLinePositionAsync(string? room, string messageId, CancellationToken cancel) => throw new NotSupportedException();
    }
}
