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
    private static readonly FlushLane[] Lanes = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new FlushLane())];
    private static int s_lastLane;

    private readonly bool _manual;
    private SpinGate _gate; // Entered by reference: not readonly.
    private List<Outbox> _scheduled = [];
    private List<Outbox> _draining = [];
    private bool _queued;

    /// <summary>A lane of one's own: <paramref name="manual"/> ones never use the thread pool, <see cref="RunScheduled"/> drains them.</summary>
    internal FlushLane(bool manual = false) => _manual = manual;

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
                foreach (var outbox in batch)
                {
                    outbox.FlushFromLane();
                }
            }

            batch.Clear();
        }
    }
}
