using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Tasks.Sources;
using CatChat.Transport.Native;

namespace CatChat.Transport;

/// <summary>
/// The read side of a <see cref="SocketConnection"/> as a <see cref="PipeReader"/>. A read that finds nothing
/// parks until the reactor reports input, holding no buffer meanwhile: memory is rented only while bytes are
/// unread, and returned as soon as the reader has consumed them all. The parked read is this object itself
/// (an <see cref="IValueTaskSource{TResult}"/>), so waiting allocates nothing.
/// </summary>
internal sealed class SocketInput(SocketHandle handle) : PipeReader, IValueTaskSource<ReadResult>, IThreadPoolWorkItem
{
    private const int MinimumBufferBytes = 4096;

    private ManualResetValueTaskSourceCore<ReadResult> _parked;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private int _examined;
    private int _readiness;
    private int _cancelRequested;
    private bool _peerFinished;
    private bool _readerCompleted;
    private volatile bool _aborted;

    /// <summary>True while a rented buffer is held: never for an idle connection.</summary>
    internal bool HoldsBuffer => _buffer is not null;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_readerCompleted, this);
        if (TryCompleteRead(resuming: false, out var result, out var failure))
        {
            return failure is null ? new ValueTask<ReadResult>(result) : ValueTask.FromException<ReadResult>(failure);
        }

        if (cancellationToken.CanBeCanceled)
        {
            // Rare (CatChat cancels with CancelPendingRead): a registration lives only as long as this read.
            return CancellableRead.WaitAsync(this, new ValueTask<ReadResult>(this, _parked.Version), cancellationToken);
        }

        return new ValueTask<ReadResult>(this, _parked.Version);
    }

    public override bool TryRead(out ReadResult result)
    {
        ObjectDisposedException.ThrowIf(_readerCompleted, this);
        if (_end > _examined || _peerFinished || Interlocked.Exchange(ref _cancelRequested, 0) == 1)
        {
            result = Result(canceled: _end <= _examined && !_peerFinished);
            return true;
        }

        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (_buffer is null)
        {
            return;
        }

        // Positions of a single-array sequence are indexes into that array.
        _start = consumed.GetInteger();
        _examined = Math.Max(_start, examined.GetInteger());
        if (_start == _end)
        {
            ReleaseBuffer();
        }
    }

    /// <summary>Ends the pending read (or the next one) with <see cref="ReadResult.IsCanceled"/> set.</summary>
    public override void CancelPendingRead()
    {
        Volatile.Write(ref _cancelRequested, 1);
        Wake();
    }

    public override void Complete(Exception? exception = null)
    {
        _readerCompleted = true;
        ReleaseBuffer();
    }

    /// <summary>
    /// The reactor saw input, a hang-up or an error: a parked read resumes right here, on the reactor's thread, and
    /// so does its reader, up to the reader's next wait (Twisted's reactor calls dataReceived the same way). A hop to
    /// the thread pool for every read cost the one-core benchmark a quarter of its throughput in wake-ups.
    /// </summary>
    internal void OnReadable()
    {
        if (Readiness.Signal(ref _readiness))
        {
            ((IThreadPoolWorkItem)this).Execute();
        }
    }

    /// <summary>The connection was closed under the reader.</summary>
    internal void OnAborted()
    {
        _aborted = true;
        Wake();
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _parked.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _parked.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _parked.OnCompleted(continuation, state, token, flags);

    // Resumes the parked read on the thread pool; the reader's continuation then runs there, inline.
    void IThreadPoolWorkItem.Execute()
    {
        if (TryCompleteRead(resuming: true, out var result, out var failure))
        {
            if (failure is null)
            {
                _parked.SetResult(result);
            }
            else
            {
                _parked.SetException(failure);
            }
        }
    }

    // From any other thread (a close, a cancel): resume on the thread pool, never inside the caller.
    private void Wake()
    {
        if (Readiness.Signal(ref _readiness))
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>
    /// Tries to finish a read now: true with its result (or failure), or false once parked, in which case the
    /// reactor's next event resumes it through <see cref="IThreadPoolWorkItem.Execute"/>. <paramref name="resuming"/>:
    /// a parked read woken by an event, whose reader already awaits it.
    /// </summary>
    private bool TryCompleteRead(bool resuming, out ReadResult result, out Exception? failure)
    {
        failure = null;
        while (true)
        {
            Volatile.Write(ref _readiness, Readiness.Trying);
            if (Interlocked.Exchange(ref _cancelRequested, 0) == 1)
            {
                result = Result(canceled: true);
                return true;
            }

            // Unexamined bytes (the reader stopped mid-buffer) are returned without touching the socket.
            if (_end > _examined || _peerFinished)
            {
                result = Result();
                return true;
            }

            if (_aborted)
            {
                result = default;
                failure = SocketErrors.Aborted(null);
                return true;
            }

            var received = Receive(out var errno);
            if (received > 0)
            {
                _end += received;
                result = Result();
                return true;
            }

            if (received == 0)
            {
                _peerFinished = true;
                result = Result();
                return true;
            }

            if (errno == Libc.EINTR)
            {
                continue;
            }

            if (errno != Libc.EAGAIN)
            {
                result = default;
                failure = errno < 0 ? SocketErrors.Aborted(null) : SocketErrors.FromErrno(errno);
                return true;
            }

            // Nothing yet: park without a buffer unless unconsumed bytes need one.
            if (_start == _end)
            {
                ReleaseBuffer();
            }

            // A wake that found nothing (the bytes it announced were read before it ran) parks the same read again:
            // resetting then would drop the continuation its reader registered, and the reader would wait for ever.
            if (!resuming)
            {
                _parked.Reset();
            }

            if (Readiness.TryPark(ref _readiness))
            {
                result = default;
                return false;
            }
        }
    }

    private ReadResult Result(bool canceled = false)
    {
        var data = _buffer is null
            ? ReadOnlySequence<byte>.Empty
            : new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
        return new ReadResult(data, isCanceled: canceled, isCompleted: _peerFinished && !canceled);
    }

    // Bytes received, 0 at end of stream, or -1 with errno set (-1 errno: the descriptor is already closed).
    private unsafe int Receive(out int errno)
    {
        var free = EnsureFreeSpace();
        try
        {
            fixed (byte* bytes = free)
            {
                var received = (int)Libc.Receive(handle, bytes, free.Length, 0);
                errno = received < 0 ? Libc.Errno : 0;
                return received;
            }
        }
        catch (ObjectDisposedException)
        {
            errno = -1;
            return -1;
        }
    }

    // Room after the unconsumed bytes: slide them to the front, or move them to a bigger rented array.
    private Span<byte> EnsureFreeSpace()
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(MinimumBufferBytes);
            _start = _end = _examined = 0;
        }
        else if (_end == _buffer.Length)
        {
            var unconsumed = _end - _start;
            if (_start > 0 && unconsumed < _buffer.Length / 2)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, unconsumed);
            }
            else
            {
                var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                Buffer.BlockCopy(_buffer, _start, bigger, 0, unconsumed);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }

            _examined -= _start;
            _start = 0;
            _end = unconsumed;
        }

        return _buffer.AsSpan(_end);
    }

    private void ReleaseBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        _start = _end = _examined = 0;
    }
}
