using CatChat.Transport;

namespace CatChat.Connections;

/// <summary>
/// Where outboxes with something to send wait for their turn to flush. One work item per lane drains
/// every outbox scheduled so far, one batch each; lines queued while it works ride along in the next
/// batch. Sending many connections' output in one pass instead of one thread-pool hop per recipient
/// keeps a broadcast cheap at low rates and coalesces writes at high ones. There is one lane per core.
/// </summary>
internal sealed class FlushLane : IThreadPoolWorkItem
{
    // Past this many bytes a submission gains nothing from more sends (they are large already) and only holds more buffers.
    private const long StagedBytesPerSubmit = 1024 * 1024;

    private static readonly FlushLane[] Lanes = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new FlushLane())];
    private static int s_lastLane;

    private readonly bool _manual;
    private SpinGate _gate; // Entered by reference: not readonly.
    private List<Outbox> _scheduled = [];
    private List<Outbox> _draining = [];
    private bool _queued;
    private SendBatch? _sends;
    private bool _sendsUnavailable;

    /// <summary>
    /// A lane of one's own: <paramref name="manual"/> ones never use the thread pool, <see cref="RunScheduled"/> drains
    /// them. Given <paramref name="sends"/>, it batches its sends there whatever <see cref="BatchSends"/> says.
    /// </summary>
    internal FlushLane(bool manual = false, SendBatch? sends = null)
    {
        _manual = manual;
        _sends = sends;
    }

    /// <summary>
    /// Whether lanes send through a <see cref="SendBatch"/> (set once at start-up, for the whole process: the lanes are
    /// shared). Off, or where io_uring is not available, each connection sends with a system call of its own.
    /// </summary>
    public static bool BatchSends { get; set; }

    // A batch's worth of outboxes at a time, at most SendBatch.Capacity of them and about StagedBytesPerSubmit: each
    // holds a transport buffer from staging until its flush finishes, so the chunks bound how many buffers are held at
    // once (a fan-out to 10,000 with 64 KiB each waiting would otherwise hold 640 MiB).
    private void FlushInBatches(List<Outbox> outboxes, SendBatch? sends)
    {
        var start = 0;
        while (start < outboxes.Count)
        {
            var end = start;
            long staged = 0;
            while (end < outboxes.Count && end - start < SendBatch.Capacity && staged < StagedBytesPerSubmit)
            {
                staged += outboxes[end++].StageFromLane(sends);
            }

            // Every staged send in one system call; then each outbox finishes its flush, usually with nothing left to send.
            sends?.Submit();
            if (sends is { Broken: true })
            {
                // Its ring failed (not expected): the rest of this turn and every later one send unbatched.
                sends.Dispose();
                _sends = null;
                _sendsUnavailable = true;
                sends = null;
            }

            for (var i = start; i < end; i++)
            {
                outboxes[i].FinishFromLane();
            }

            start = end;
        }
    }

    /// <summary>The lane's batch, made the first time it is needed.</summary>
    internal SendBatch? Sends()
    {
        if (_sends is not null || !BatchSends)
        {
            return _sends;
        }

        // A ring failing here after the start-up probe succeeded is not expected; the lane then sends unbatched.
        if (!_sendsUnavailable)
        {
            _sends = SendBatch.TryCreate(out _);
            _sendsUnavailable = _sends is null;
        }

        return _sends;
    }

    /// <summary>The lane for a new outbox: round robin, so connections spread over the cores.</summary>
    public static FlushLane Next() => Lanes[(int)((uint)Interlocked.Increment(ref s_lastLane) % (uint)Lanes.Length)];

    /// <summary>Adds an outbox that has just become the lane's to flush (it is never in a lane twice).</summary>
    public void Schedule(Outbox outbox)
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

            // The transports' wake-ups (an io_uring ring's thread) are made once per batch, not once per outbox.
            using (WakeDeferral.Begin())
            {
                if (Sends() is { } sends)
                {
                    FlushInBatches(batch, sends);
                }
                else
                {
                    foreach (var outbox in batch)
                    {
                        outbox.FlushFromLane();
                    }
                }
            }

            batch.Clear();
        }
    }
}
