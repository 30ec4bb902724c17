using System.Collections.Concurrent;
using System.Threading.Channels;
using CatChat.Chat;

namespace CatChat.Persistence;

/// <summary>
/// Writes chat history behind the chat's back: lines are queued without waiting (a bounded queue that
/// drops its oldest lines when full, counting them), and this service stores them in batches, one
/// transaction each, retrying with backoff while the database is away. Redactions share the queue, so each
/// comes after the lines queued before it: one whose line is in its batch takes the line out, the others are
/// deleted once their batch is stored.
/// </summary>
internal sealed class HistoryWriter : BackgroundService, IHistorySink
{
    internal const int MaxBatch = 2000;
    private static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(200);
    internal static readonly TimeSpan GatherStep = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(10);

    private readonly Channel<HistoryWork> _queue;
    private readonly IChatStore _store;
    private readonly ChatMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<HistoryWriter> _logger;
    private readonly TimeSpan _flushTimeout;
    private readonly int _capacity;
    private readonly List<HistoryEntry> _batch = new(MaxBatch);

    // Message ids to delete once this batch is stored: redactions of lines stored before it.
    private readonly List<string> _redactions = [];

    // Redactions the full queue dropped as its oldest. Never lost: every line before one has left the queue by then,
    // so deleting it after the batch being gathered or written keeps the order.
    private readonly ConcurrentQueue<string> _droppedRedactions = new();
    private volatile HistoryWriteFailure? _failing;

    public HistoryWriter(int capacity, TimeSpan flushTimeout, IChatStore store, ChatMetrics metrics, TimeProvider time, ILogger<HistoryWriter> logger)
    {
        _store = store;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _flushTimeout = flushTimeout;
        _capacity = capacity;
        _queue = Channel.CreateBounded<HistoryWork>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnDropped);
    }

    public void Add(HistoryEntry entry) => _queue.Writer.TryWrite(new HistoryWork(entry, null));

    public void Redact(string messageId) => _queue.Writer.TryWrite(new HistoryWork(null, messageId));

    /// <summary>Since when, and why, the database has been refusing history; null while writes succeed.</summary>
    public HistoryWriteFailure? Failing => _failing;

    /// <summary>Lines (and redactions) waiting to be stored (approximate while the writer runs).</summary>
    public int Queued => _queue.Reader.Count + _batch.Count + _redactions.Count + _droppedRedactions.Count;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Flush what is queued, but never wait longer than the flush timeout for a database that is away.
        _queue.Writer.TryComplete();
        if (ExecuteTask is { } running)
        {
            await Task.WhenAny(running, Task.Delay(_flushTimeout, _time, cancellationToken)).ConfigureAwait(false);
        }

        var pending = Queued;
        if (pending > 0)
        {
            PersistenceLog.HistoryNotFlushed(_logger, pending);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            // Let a quiet chat's lines gather for a moment: a few transactions a second instead of one per line
            // keeps the database's work (and its fsyncs) from competing with the chat for the CPU. Look again every
            // step and stop once a batch is full: a busy chat fills the queue faster than the window (at 60,000
            // lines/s, 200 ms is 12,000 lines, more than the default queue), and waiting it out dropped lines.
            for (var waited = TimeSpan.Zero; waited < GatherWindow && reader.Count < MaxBatch && !reader.Completion.IsCompleted; waited += GatherStep)
            {
                await Task.WhenAny(reader.Completion, Task.Delay(GatherStep, _time, stoppingToken)).ConfigureAwait(false);
            }

            for (var taken = 0; taken < MaxBatch && reader.TryRead(out var work); taken++)
            {
                if (work.Line is { } line)
                {
                    _batch.Add(line);
                }
                else if (_batch.RemoveAll(queued => queued.MessageId == work.Redaction) == 0)
                {
                    // Not in this batch, so stored before it (or never): delete it once this batch is stored.
                    _redactions.Add(work.Redaction!);
                }
            }

            await WriteBatchAsync(stoppingToken).ConfigureAwait(false);
        }

        // A redaction dropped after the last batch still deletes its line.
        if (!_droppedRedactions.IsEmpty)
        {
            await WriteBatchAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stores the batch, then deletes the redacted lines; retries (only what is left) while the database is away.</summary>
    private async Task WriteBatchAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var delay = FirstRetry;
        var appended = _batch.Count == 0;
        while (true)
        {
            try
            {
                if (!appended)
                {
                    await _store.AppendHistoryAsync(_batch, stoppingToken).ConfigureAwait(false);
                    _metrics.HistoryWritten(_batch.Count);
                    appended = true;
                }

                // Taken only now the batch is stored: a redaction dropped meanwhile may be of a line in it.
                while (_droppedRedactions.TryDequeue(out var dropped))
                {
                    _redactions.Add(dropped);
                }

                if (_redactions.Count > 0)
                {
                    await _store.DeleteHistoryAsync(_redactions, stoppingToken).ConfigureAwait(false);
                }

                _batch.Clear();
                _redactions.Clear();
                _failing = null;
                if (failures > 0)
                {
                    PersistenceLog.HistoryWritesResumed(_logger, failures);
                }

                return;
            }
            catch (StoreUnavailableException ex)
            {
                failures++;
                _failing = new HistoryWriteFailure(_failing?.Since ?? _time.GetUtcNow(), failures, ex.Message);
                _metrics.HistoryWriteFailed();
                if (failures == 1 || failures % 20 == 0)
                {
                    PersistenceLog.HistoryWriteFailed(_logger, delay, ex.Message);
                }

                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
            }
        }
    }

    private void OnDropped(HistoryWork work)
    {
        // A redaction is kept (a few bytes each), up to as many as the queue holds; past that it is lost like a line.
        if (work.Redaction is { } redaction && _droppedRedactions.Count < _capacity)
        {
            _droppedRedactions.Enqueue(redaction);
            return;
        }

        var dropped = _metrics.HistoryLineDropped();
        if (dropped == 1 || dropped % 1000 == 0)
        {
            PersistenceLog.HistoryLinesDropped(_logger, dropped);
        }
    }

    /// <summary>One item of the queue: a line to store, or the message id of a line to remove.</summary>
    private readonly record struct HistoryWork(HistoryEntry? Line, string? Redaction);
}
