using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Tasks.Sources;

namespace CatChat.Transport.Uring;

/// <summary>
/// The read side of a <see cref="UringConnection"/> as a <see cref="PipeReader"/>. The ring's thread pushes in
/// what each receive brought (copied out of the ring's provided buffer, which goes straight back to the kernel);
/// the reader takes it from here. Like <see cref="SocketInput"/> it holds a buffer only while bytes are unread,
/// and waiting allocates nothing. One receive is kept in flight while fewer than
/// <see cref="ReceiveAheadBytes"/> are unread, so a reader that stops reading stops the socket too.
/// </summary>
internal sealed class UringInput(Action requestReceive) : PipeReader, IValueTaskSource<ReadResult>
{
    /// <summary>Unread bytes past which no further receive is asked for until the reader catches up.</summary>
    public const int ReceiveAheadBytes = 64 * 1024;

    private const int MinimumBufferBytes = 4096;

    private readonly Lock _gate = new();
    private ManualResetValueTaskSourceCore<ReadResult> _parked = new() { RunContinuationsAsynchronously = true };
    private byte[]? _buffer;
    // Bytes that arrived while the reader held a result: they wait here, for the held bytes must not move.
    private byte[]? _incoming;
    private int _incomingLength;
    private bool _holding;
    private int _start;
    private int _end;
    private int _examined;
    private bool _waiting;
    private bool _cancelRequested;
    private bool _peerFinished;
    private bool _readerCompleted;
    private bool _receiving;
    private Exception? _failure;

    /// <summary>True while a rented buffer is held: never for an idle connection.</summary>
    internal bool HoldsBuffer => _buffer is not null;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_readerCompleted, this);
            if (TryResultLocked(out var result, out var failure))
            {
                return failure is null ? new ValueTask<ReadResult>(result) : ValueTask.FromException<ReadResult>(failure);
            }

            _parked.Reset();
            _waiting = true;
        }

        var read = new ValueTask<ReadResult>(this, _parked.Version);
        return cancellationToken.CanBeCanceled ? CancellableRead.WaitAsync(this, read, cancellationToken) : read;
    }

    public override bool TryRead(out ReadResult result)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_readerCompleted, this);
            if (!TryResultLocked(out result, out var failure))
            {
                return false;
            }

            return failure is null ? true : throw failure;
        }
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        bool receiveAgain;
        lock (_gate)
        {
            _holding = false;
            if (_buffer is not null)
            {
                _start = consumed.GetInteger();
                _examined = Math.Max(_start, examined.GetInteger());
                if (_start == _end)
                {
                    ReleaseBufferLocked();
                }
            }

            // At once, not at the next read: a receive that lands before then must queue behind these bytes.
            UnstashLocked();
            receiveAgain = ShouldReceiveLocked();
            _receiving |= receiveAgain;
        }

        if (receiveAgain)
        {
            requestReceive();
        }
    }

    public override void CancelPendingRead()
    {
        lock (_gate)
        {
            _cancelRequested = true;
            WakeLocked();
        }
    }

    public override void Complete(Exception? exception = null)
    {
        lock (_gate)
        {
            _readerCompleted = true;
            ReleaseBufferLocked();
        }
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _parked.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _parked.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _parked.OnCompleted(continuation, state, token, flags);

    /// <summary>On the ring's thread, once the connection is accepted: the first receive is its own to submit.</summary>
    internal bool BeginReceiving()
    {
        lock (_gate)
        {
            _receiving = !_peerFinished && _failure is null;
            return _receiving;
        }
    }

    /// <summary>
    /// On the ring's thread: a receive brought <paramref name="bytes"/> (empty at the end of the stream). True when
    /// the next receive should be submitted at once.
    /// </summary>
    internal bool OnReceived(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _receiving = false;
            if (bytes.IsEmpty)
            {
                _peerFinished = true;
            }
            else if (_readerCompleted)
            {
            }
            else if (_holding)
            {
                StashLocked(bytes);
            }
            else
            {
                bytes.CopyTo(EnsureFreeSpaceLocked(bytes.Length));
                _end += bytes.Length;
            }

            WakeLocked();
            _receiving = ShouldReceiveLocked();
            return _receiving;
        }
    }

    /// <summary>The receive failed (a reset), or the connection was closed under the reader: from any thread.</summary>
    internal void OnFailed(Exception failure)
    {
        lock (_gate)
        {
            _receiving = false;
            _failure ??= failure;
            WakeLocked();
        }
    }

    /// <summary>The receive found no free provided buffer and must be tried again.</summary>
    internal void OnStarved()
    {
        lock (_gate)
        {
            _receiving = true;
        }
    }

    private bool ShouldReceiveLocked() =>
        !_receiving && !_peerFinished && _failure is null && !_readerCompleted && _end - _start + _incomingLength < ReceiveAheadBytes;

    private void StashLocked(ReadOnlySpan<byte> bytes)
    {
        if (_incoming is null || _incoming.Length - _incomingLength < bytes.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(MinimumBufferBytes, (_incomingLength + bytes.Length) * 2));
            if (_incoming is not null)
            {
                Buffer.BlockCopy(_incoming, 0, bigger, 0, _incomingLength);
                ArrayPool<byte>.Shared.Return(_incoming);
            }

            _incoming = bigger;
        }

        bytes.CopyTo(_incoming.AsSpan(_incomingLength));
        _incomingLength += bytes.Length;
    }

    // Only while the reader holds nothing: the stashed bytes join the unread ones.
    private void UnstashLocked()
    {
        if (_incoming is null)
        {
            return;
        }

        _incoming.AsSpan(0, _incomingLength).CopyTo(EnsureFreeSpaceLocked(_incomingLength));
        _end += _incomingLength;
        ArrayPool<byte>.Shared.Return(_incoming);
        _incoming = null;
        _incomingLength = 0;
    }

    // Called only where the reader holds no result: ReadAsync and TryRead, or a wake of a parked read.
    private bool TryResultLocked(out ReadResult result, out Exception? failure)
    {
        failure = null;
        UnstashLocked();
        if (_cancelRequested)
        {
            _cancelRequested = false;
            result = ResultLocked(canceled: true);
            return true;
        }

        if (_end > _examined || _peerFinished)
        {
            result = ResultLocked();
            return true;
        }

        if (_failure is not null)
        {
            result = default;
            failure = _failure;
            return true;
        }

        result = default;
        return false;
    }

    private void WakeLocked()
    {
        if (_waiting && TryResultLocked(out var result, out var failure))
        {
            _waiting = false;
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

    private ReadResult ResultLocked(bool canceled = false)
    {
        _holding = true;
        var data = _buffer is null
            ? ReadOnlySequence<byte>.Empty
            : new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
        return new ReadResult(data, isCanceled: canceled, isCompleted: _peerFinished && !canceled);
    }

    // Room for count more bytes after the unconsumed ones: slide them to the front, or move to a bigger array.
    private Span<byte> EnsureFreeSpaceLocked(int count)
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(count, MinimumBufferBytes));
            _start = _end = _examined = 0;
        }
        else if (_buffer.Length - _end < count)
        {
            var unconsumed = _end - _start;
            if (_buffer.Length - unconsumed >= count && unconsumed < _buffer.Length / 2)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, unconsumed);
            }
            else
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, unconsumed + count));
                Buffer.BlockCopy(_buffer, _start, bigger, 0, unconsumed);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }

            _examined -= _start;
            _start = 0;
            _end = unconsumed;
        }

        return _buffer.AsSpan(_end, count);
    }

    private void ReleaseBufferLocked()
    {
        if (_readerCompleted && _incoming is not null)
        {
            ArrayPool<byte>.Shared.Return(_incoming);
            _incoming = null;
            _incomingLength = 0;
        }

        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        _start = _end = _examined = 0;
    }
}
