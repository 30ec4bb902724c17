using CatChat.Chat;

namespace CatChat.Sessions;

/// <summary>
/// Where outboxes with something to send wait for their turn to flush. One work item per lane drains every outbox
/// scheduled so far, one batch each; lines queued while it works ride along in the next batch. Sending many
/// connections' output in one pass instead of one thread-pool hop per recipient keeps a broadcast cheap at low rates
/// and coalesces writes at high ones. With a transport's <see cref="IWriteCoalescer"/>, a turn first writes every
/// outbox, then has the transport send them all at once, then flushes each (which finds its bytes gone).
/// With a hold, a lane that found work again within the hold of its last turn's start waits out the rest of it: a
/// recipient's lines that arrive meanwhile leave in one send, which on loopback TCP costs the kernel most of what a
/// delivery costs. A lane idle for longer than the hold (a quiet chat, a private message) still sends at once.
/// </summary>
public sealed class FlushLane : IThreadPoolWorkItem, IDeferredFlush
{
    // A turn writes at most this many outboxes (and about this many bytes) before they are sent: each holds a
    // transport buffer from its write until its flush, so the rounds bound how many buffers are held at once (a
    // fan-out to 10,000 with 64 KiB each waiting would otherwise hold 640 MiB). 1,024 is one io_uring submission.
    private const int OutboxesPerRound = 1024;
    private const long BytesPerRound = 1024 * 1024;

    private readonly bool _manual;
    private readonly IWriteCoalescer? _coalescer;
    private readonly TimeProvider _time;
    private readonly long _holdTicks;
    private readonly ITimer? _holdTimer;
    private long _lastTurnStarted = long.MinValue / 2;
    private SpinGate _gate; // Entered by reference: not readonly.
    private List<Outbox> _scheduled = [];
    private List<Outbox> _draining = [];
    private bool _queued;

    /// <summary>
    /// A lane; <paramref name="manual"/> ones never use the thread pool, <see cref="RunScheduled"/> drains them.
    /// Given <paramref name="coalescer"/>, each turn's sends leave together; given a <paramref name="hold"/>, turns start at
    /// most once per hold while the lane stays busy.
    /// </summary>
    public FlushLane(bool manual = false, IWriteCoalescer? coalescer = null, TimeSpan hold = default, TimeProvider? time = null)
    {
        _manual = manual;
        _coalescer = coalescer;
        _time = time ?? TimeProvider.System;
        if (hold > TimeSpan.Zero && !manual)
        {
            _holdTicks = (long)(hold.TotalSeconds * _time.TimestampFrequency);
            _holdTimer = _time.CreateTimer(static state => ((FlushLane)state!).RunScheduled(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Adds an outbox that has just become the lane's to flush (it is never in a lane twice).</summary>
    internal void Schedule(Outbox outbox)
    {
        bool queue;
        using (_gate.Enter())
        {
            _scheduled.Add(outbox);
            queue = !_queued;
            _queued = true;
        }

        if (queue && !_manual)
        {
            var wait = HoldRemaining();
            if (wait > 0)
            {
                _holdTimer!.Change(TimeSpan.FromSeconds((double)wait / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
            }
            else if (!DeliveryBatch.TryDefer(this))
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }
    }

    // Timestamp ticks until the hold since the last turn's start has passed; 0 or less: none.
    private long HoldRemaining() =>
        _holdTicks == 0 ? 0 : Volatile.Read(ref _lastTurnStarted) + _holdTicks - _time.GetTimestamp();

    void IThreadPoolWorkItem.Execute() => RunScheduled();

    void IDeferredFlush.Start() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    /// <summary>
    /// Flushes every scheduled outbox, one batch each, until none is left; with a hold, a pass that would start within
    /// the hold of the last one's start is left to the hold's timer instead.
    /// </summary>
    internal void RunScheduled()
    {
        var held = false;
        while (true)
        {
            List<Outbox>? batch = null;
            var wait = held ? HoldRemaining() : 0;
            using (_gate.Enter())
            {
                if (_scheduled.Count == 0)
                {
                    _queued = false;
                    return;
                }

                if (wait <= 0)
                {
                    batch = _scheduled;
                    _scheduled = _draining;
                    _draining = batch;
                }
            }

            if (batch is null)
            {
                // Still queued: the hold's timer runs the next pass, and Schedule queues nothing meanwhile.
                _holdTimer!.Change(TimeSpan.FromSeconds((double)wait / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
                return;
            }

            if (_holdTicks != 0)
            {
                Volatile.Write(ref _lastTurnStarted, _time.GetTimestamp());
                held = true;
            }

            if (_coalescer is null)
            {
                foreach (var outbox in batch)
                {
                    outbox.WriteQueued();
                    outbox.FlushWritten();
                }
            }
            else
            {
                FlushCoalesced(batch, _coalescer);
            }

            batch.Clear();
        }
    }

    private static void FlushCoalesced(List<Outbox> outboxes, IWriteCoalescer coalescer)
    {
        coalescer.Begin();
        try
        {
            var start = 0;
            while (start < outboxes.Count)
            {
                var end = start;
                long written = 0;
                while (end < outboxes.Count && end - start < OutboxesPerRound && written < BytesPerRound)
                {
                    written += outboxes[end++].WriteQueued();
                }

                coalescer.Submit();
                for (var i = start; i < end; i++)
                {
                    outboxes[i].FlushWritten();
                }

                start = end;
            }
        }
        finally
        {
            coalescer.End();
        }
    }
}
