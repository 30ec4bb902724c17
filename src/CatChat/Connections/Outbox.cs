using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Tasks.Sources;
using CatChat.Chat;

namespace CatChat.Connections;

/// <summary>
/// The one writer of a connection. Anyone may queue encoded lines without waiting; the connection's
/// own writer loop copies whatever has queued into the transport and flushes once, so a burst of
/// broadcasts leaves in one write. Bytes queued and not yet flushed are capped: past the cap the
/// recipient is a slow consumer and <c>onOverflow</c> is called once; no sender ever waits.
/// </summary>
/// <remarks>
/// Built for thousands of idle connections: an idle outbox holds a few fields and no buffers, and the
/// writer waits on this object itself (a reusable <see cref="IValueTaskSource{TResult}"/>), so queueing
/// a line and waking the writer allocate nothing.
/// </remarks>
internal sealed class Outbox(long capacityBytes, Action onOverflow, ChatMetrics? metrics = null) : IOutbox, IValueTaskSource<bool>
{
    // Flush at least every 64 KiB so a huge backlog does not become one giant transport buffer.
    private const int MaxBytesPerFlush = 64 * 1024;

    private readonly Lock _gate = new();
    private LineQueue _lines;
    private ManualResetValueTaskSourceCore<bool> _wakeUp = new() { RunContinuationsAsynchronously = true };
    private long _pendingBytes;
    private bool _writerWaiting;
    private bool _completed;
    private int _overflowed;

    /// <summary>Bytes queued and not yet handed to the transport.</summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    public bool TryEnqueue(byte[] encodedLine)
    {
        if (Volatile.Read(ref _overflowed) != 0)
        {
            return false;
        }

        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            if (_pendingBytes + encodedLine.Length <= capacityBytes)
            {
                _pendingBytes += encodedLine.Length;
                _lines.Enqueue(encodedLine);
                if (_writerWaiting)
                {
                    // The writer's continuation is queued to the thread pool, never run on this (the sender's) thread.
                    _writerWaiting = false;
                    _wakeUp.SetResult(true);
                }

                return true;
            }
        }

        // Over the cap: the recipient is not reading. Tell the owner once, outside the lock.
        if (Interlocked.Exchange(ref _overflowed, 1) == 0)
        {
            onOverflow();
        }

        return false;
    }

    /// <summary>No more lines will be accepted; the writer ends once it has flushed what is queued.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            if (_writerWaiting)
            {
                _writerWaiting = false;
                _wakeUp.SetResult(false);
            }
        }
    }

    /// <summary>The writer loop: runs until <see cref="Complete"/> and the queue is drained, or the transport closes.</summary>
    public async Task RunWriterAsync(PipeWriter output, CancellationToken abort)
    {
        using var wakeOnAbort = abort.UnsafeRegister(static state => ((Outbox)state!).WakeForAbort(), this);
        while (true)
        {
            abort.ThrowIfCancellationRequested();
            var batch = TakeBatch(output, abort, out var mustWait);
            if (batch > 0)
            {
                // Handed to the transport: from here its own buffering and FlushAsync do the pushing back.
                var result = await output.FlushAsync(abort).ConfigureAwait(false);
                metrics?.Sent(batch);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }

                continue;
            }

            if (!mustWait)
            {
                abort.ThrowIfCancellationRequested();
                return; // Completed and drained.
            }

            if (!await new ValueTask<bool>(this, _wakeUp.Version).ConfigureAwait(false))
            {
                abort.ThrowIfCancellationRequested();
            }
        }
    }

    // Copies up to MaxBytesPerFlush of queued lines into the transport. With nothing queued, either the
    // outbox is complete (mustWait false) or the writer is armed to be woken by the next line.
    internal long TakeBatch(PipeWriter output, CancellationToken abort, out bool mustWait)
    {
        mustWait = false;
        long batch = 0;
        lock (_gate)
        {
            while (batch < MaxBytesPerFlush && _lines.TryDequeue(out var line))
            {
                output.Write(line.AsSpan());
                batch += line.Length;
            }

            _pendingBytes -= batch;
            // Checked under the lock: an abort that came before the writer was armed found nothing to wake.
            if (batch == 0 && !_completed && !abort.IsCancellationRequested)
            {
                _wakeUp.Reset();
                _writerWaiting = true;
                mustWait = true;
            }
        }

        return batch;
    }

    private void WakeForAbort()
    {
        lock (_gate)
        {
            if (_writerWaiting)
            {
                _writerWaiting = false;
                _wakeUp.SetResult(false);
            }
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _wakeUp.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _wakeUp.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(
        Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _wakeUp.OnCompleted(continuation, state, token, flags);
}
