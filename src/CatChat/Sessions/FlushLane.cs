namespace CatChat.Sessions;

/// <summary>
/// Where outboxes with something to send wait for their turn to flush. One work item per lane drains every outbox
/// scheduled so far, one batch each; lines queued while it works ride along in the next batch. Sending many
/// connections' output in one pass instead of one thread-pool hop per recipient keeps a broadcast cheap at low rates
/// and coalesces writes at high ones. With a transport's <see cref="IWriteCoalescer"/>, a turn first writes every
/// outbox, then has the transport send them all at once, then flushes each (which finds its bytes gone).
/// </summary>
public sealed class FlushLane : IThreadPoolWorkItem
{
    // A turn writes at most this many outboxes (and about this many bytes) before they are sent: each holds a
    // transport buffer from its write until its flush, so the rounds bound how many buffers are held at once (a
    // fan-out to 10,000 with 64 KiB each waiting would otherwise hold 640 MiB). 1,024 is one io_uring submission.
    private const int OutboxesPerRound = 1024;
    private const long BytesPerRound = 1024 * 1024;

    private readonly bool _manual;
    private readonly IWriteCoalescer? _coalescer;
    private SpinGate _gate; // Entered by reference: not readonly.
    private List<Outbox> _scheduled = [];
    private List<Outbox> _draining = [];
    private bool _queued;

    /// <summary>
    /// A lane; <paramref name="manual"/> ones never use the thread pool, <see cref="RunScheduled"/> drains them.
    /// Given <paramref name="coalescer"/>, each turn's sends leave together.
    /// </summary>
    public FlushLane(bool manual = false, IWriteCoalescer? coalescer = null)
    {
        _manual = manual;
        _coalescer = coalescer;
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
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute() => RunScheduled();

    /// <summary>Flushes every scheduled outbox, one batch each, until none is left.</summary>
    internal void RunScheduled()
    {
        while (true)
        {
            List<Outbox> batch;
            using (_gate.Enter())
            {
                if (_scheduled.Count == 0)
                {
                    _queued = false;
                    return;
                }

                batch = _scheduled;
                _scheduled = _draining;
                _draining = batch;
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
