using System.Buffers;
using System.IO.Pipelines;
using CatChat.Chat;

namespace CatChat.Sessions;

/// <summary>
/// The one writer of a connection. Anyone may queue encoded lines without waiting. An outbox with
/// nothing in flight is handed to a <see cref="FlushLane"/>, which later copies everything queued by
/// then into the transport and flushes once: lines that arrive meanwhile ride along, so a busy chat
/// leaves in few writes (like Redis's flush of pending clients before each poll). Only a flush the
/// transport cannot take at once (a full socket buffer) continues on its own, awaiting the transport.
/// Bytes queued and not yet handed over are capped: past the cap the recipient is a slow consumer and
/// the owner is told once (<see cref="IMemberConnection.OnSlowConsumer"/>); no sender ever waits. An idle outbox holds no buffer and no task.
/// </summary>
internal sealed partial class Outbox(long capacityBytes, IMemberConnection owner, ChatMetrics? metrics = null, FlushLane? lane = null) : IOutbox
{
    // Flush at least every 64 KiB so a huge backlog does not become one giant transport buffer.
    private const int MaxBytesPerFlush = 64 * 1024;

    // Taken for every line to every recipient: see SpinGate. A field, not readonly: it is entered by reference.
    private SpinGate _gate;

    private readonly FlushLane _lane = lane ?? FlushLanes.Uncoalesced.Next();
    private LineQueue _lines;
    private long _pendingBytes;
    private long _writtenBytes; // Written in the lane's turn, between its two halves.
    private WriterState _state = WriterState.Detached;
    private bool _completed;
    private int _overflowed;
    private int _corks;
    private PipeWriter? _output;
    private TaskCompletionSource? _finished;

    private enum WriterState
    {
        /// <summary>No transport yet: lines wait.</summary>
        Detached,

        /// <summary>Nothing queued and nothing in flight.</summary>
        Idle,

        /// <summary>Waiting in a flush lane, or being flushed: whoever holds it is the one writer.</summary>
        Writing,

        /// <summary>Finished: drained after <see cref="CompleteAsync"/>, aborted, or the transport closed.</summary>
        Closed,
    }

    /// <summary>Bytes queued and not yet handed to the transport.</summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    public bool TryEnqueue(byte[] encodedLine) => TryEnqueue(encodedLine, last: false);

    /// <summary>
    /// Queues <paramref name="encodedLine"/> as the last line this outbox takes: from then on nothing is accepted, as
    /// after <see cref="CompleteAsync"/> (a WebSocket's close frame, which nothing may follow).
    /// </summary>
    public bool TryEnqueueLast(byte[] encodedLine) => TryEnqueue(encodedLine, last: true);

    private bool TryEnqueue(byte[] encodedLine, bool last)
    {
        if (Volatile.Read(ref _overflowed) != 0)
        {
            return false;
        }

        bool accepted;
        var schedule = false;
        var overflowNow = false;
        using (_gate.Enter())
        {
            if (_completed || _state == WriterState.Closed)
            {
                return false;
            }

            accepted = _pendingBytes + encodedLine.Length <= capacityBytes;
            if (accepted)
            {
                _pendingBytes += encodedLine.Length;
                _lines.Enqueue(encodedLine);
                if (_state == WriterState.Idle && _corks == 0)
                {
                    _state = WriterState.Writing;
                    schedule = true;
                }
            }
            else
            {
                overflowNow = Interlocked.Exchange(ref _overflowed, 1) == 0;
            }

            _completed |= last;
        }

        if (schedule)
        {
            _lane.Schedule(this);
        }
        else if (overflowNow)
        {
            // Over the cap: the recipient is not reading. Tell the owner once, outside the lock.
            owner.OnSlowConsumer();
        }

        return accepted;
    }

    /// <summary>Starts writing to <paramref name="output"/>, the connection's transport; lines queued before now go first.</summary>
    public void Start(PipeWriter output)
    {
        bool schedule;
        using (_gate.Enter())
        {
            if (_state != WriterState.Detached)
            {
                throw new InvalidOperationException("The outbox has already started.");
            }

            _output = output;
            schedule = _lines.Count > 0 && _corks == 0;
            _state = schedule ? WriterState.Writing : WriterState.Idle;
        }

        if (schedule)
        {
            _lane.Schedule(this);
        }
    }

    /// <summary>
    /// No more lines will be accepted. The task ends once everything queued has been handed to the transport
    /// and flushed, or writing stopped (<see cref="Abort"/>, or the transport closed).
    /// </summary>
    public Task CompleteAsync()
    {
        Task finished;
        var schedule = false;
        using (_gate.Enter())
        {
            _completed = true;
            if (_state is WriterState.Closed or WriterState.Detached)
            {
                _state = WriterState.Closed;
                return Task.CompletedTask;
            }

            // Made only now: a connection that is open and idle holds no task.
            _finished ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            finished = _finished.Task;
            if (_state == WriterState.Idle)
            {
                _state = WriterState.Writing; // Let the lane see it drained and finish it.
                schedule = true;
            }
        }

        if (schedule)
        {
            _lane.Schedule(this);
        }

        return finished;
    }

    /// <summary>Stops writing at once; what is still queued is dropped. A flush in progress ends with the transport.</summary>
    public void Abort() => Close();

    /// <summary>
    /// The first half of a lane's turn: copies what is queued into the transport, without flushing. The lane may let
    /// the transport send many outboxes' writes together before <see cref="FlushWritten"/>.
    /// </summary>
    /// <returns>The bytes written.</returns>
    internal long WriteQueued() => _writtenBytes = TakeBatch();

    /// <summary>
    /// The second half of a lane's turn: flushes what <see cref="WriteQueued"/> wrote. A flush that completes at once
    /// (the usual case) costs no task; one that must wait continues in <see cref="FinishFlushAsync"/>.
    /// </summary>
    internal void FlushWritten()
    {
        var batch = _writtenBytes;
        _writtenBytes = 0;
        if (batch == 0)
        {
            return; // Idle again, or finished.
        }

        ValueTask<FlushResult> flush;
        try
        {
            flush = _output!.FlushAsync();
        }
        catch (Exception)
        {
            Close();
            return;
        }

        if (!flush.IsCompleted)
        {
            _ = FinishFlushAsync(flush, batch);
        }
        else if (Flushed(flush, batch) && HasMoreQueuedElseIdle())
        {
            // One batch per turn: whoever else waits in the lane goes first, then this outbox again.
            _lane.Schedule(this);
        }
    }

    private async Task FinishFlushAsync(ValueTask<FlushResult> pending, long batch)
    {
        var flush = pending;
        while (true)
        {
            try
            {
                await flush.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The transport failed or was torn down: nothing more leaves.
                Close();
                return;
            }

            if (!Flushed(flush, batch))
            {
                return;
            }

            batch = TakeBatch();
            if (batch == 0)
            {
                return;
            }

            flush = _output!.FlushAsync();
        }
    }

    // After a flush completed: false when writing must stop (transport closed).
    private bool Flushed(ValueTask<FlushResult> flush, long batch)
    {
        FlushResult result;
        try
        {
            result = flush.Result;
        }
        catch (Exception)
        {
            Close();
            return false;
        }

        metrics?.Sent(batch);
        if (result.IsCompleted || result.IsCanceled)
        {
            Close();
            return false;
        }

        return true;
    }

    // After a flush: true when more lines wait (this outbox stays the lane's); otherwise it goes idle, or
    // finishes if it was completed.
    private bool HasMoreQueuedElseIdle()
    {
        var finished = false;
        using (_gate.Enter())
        {
            if (_state != WriterState.Writing)
            {
                return false;
            }

            if (_lines.Count > 0)
            {
                if (_corks == 0 || _completed)
                {
                    return true;
                }

                _state = WriterState.Idle; // Held: the cork's release schedules it again.
                return false;
            }

            finished = StopWritingLocked();
        }

        if (finished)
        {
            Finish();
        }

        return false;
    }

    // Copies up to MaxBytesPerFlush of queued lines into the transport; with nothing queued, the outbox goes
    // idle (or, completed, finishes) and 0 is returned.
    private long TakeBatch()
    {
        long batch = 0;
        var finished = false;
        using (_gate.Enter())
        {
            if (_state != WriterState.Writing)
            {
                return 0;
            }

            if (_corks > 0 && !_completed)
            {
                _state = WriterState.Idle; // Held: the cork's release schedules it again.
                return 0;
            }

            batch = CopyBatchLocked();
            _pendingBytes -= batch;
            if (batch == 0)
            {
                finished = StopWritingLocked();
            }
        }

        if (finished)
        {
            Finish();
        }

        return batch;
    }

    // One reservation for the whole batch, then the lines straight into it: writing line by line grew the
    // transport's buffer by doubling and copied what it held each time (a tenth of the server's CPU at N = 100).
    // Under the lock.
    private int CopyBatchLocked()
    {
        if (_lines.Count == 0)
        {
            return 0; // Asking the transport for room would make it hold a buffer while idle.
        }

        var room = _output!.GetSpan((int)Math.Min(_pendingBytes, MaxBytesPerFlush));
        var copied = 0;
        while (copied < MaxBytesPerFlush && _lines.TryPeek(out var line))
        {
            if (line.Length > room.Length - copied)
            {
                if (copied > 0)
                {
                    break; // The next batch starts with it.
                }

                room = _output.GetSpan(line.Length); // One line longer than the reservation.
            }

            _lines.TryDequeue(out _);
            line.CopyTo(room[copied..]);
            copied += line.Length;
        }

        _output.Advance(copied);
        return copied;
    }

    // Nothing is left to write: idle until the next line, or finished if completed. Returns true when finished.
    // Called under the lock.
    private bool StopWritingLocked()
    {
        _state = _completed ? WriterState.Closed : WriterState.Idle;
        return _completed;
    }

    // Completed and drained: the writer's task ends.
    private void Finish() => _finished?.TrySetResult();

    // Stops writing for good; what is still queued is dropped.
    private void Close()
    {
        using (_gate.Enter())
        {
            _state = WriterState.Closed;
            while (_lines.TryDequeue(out _))
            {
            }

            _pendingBytes = 0;
        }

        Finish();
    }
}
