using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace CatChat.Transport;

/// <summary>
/// The read side of a <see cref="SocketConnection"/> as a <see cref="PipeReader"/>. It waits for data with
/// a zero-byte receive, so an idle connection holds no buffer; memory is rented only while bytes are
/// unread, and returned as soon as the reader has consumed them all.
/// </summary>
internal sealed class SocketInput(Socket socket) : PipeReader
{
    private const int MinimumBufferBytes = 4096;

    private byte[]? _buffer;
    private int _start;
    private int _end;
    private int _examined;
    private bool _peerFinished;
    private bool _readerCompleted;

    /// <summary>True while a rented buffer is held: never for an idle connection.</summary>
    internal bool HoldsBuffer => _buffer is not null;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_readerCompleted, this);

        // Unexamined bytes (the reader stopped mid-buffer) are returned without touching the socket.
        if (_end > _examined || _peerFinished)
        {
            return Result();
        }

        try
        {
            if (_end == _start)
            {
                // Nothing buffered: wait for readiness without holding memory, then rent.
                ReleaseBuffer();
                await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }

            var received = ReceiveWithoutWaiting();
            while (received < 0)
            {
                // Woken without data after all: wait again, still holding no more than the unconsumed bytes.
                await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                received = ReceiveWithoutWaiting();
            }

            if (received == 0)
            {
                _peerFinished = true;
            }

            _end += received;
        }
        catch (SocketException ex)
        {
            throw SocketErrors.Translate(ex);
        }
        catch (ObjectDisposedException ex)
        {
            // The connection was aborted under a pending read.
            throw SocketErrors.Aborted(ex);
        }

        return Result();
    }

    public override bool TryRead(out ReadResult result)
    {
        ObjectDisposedException.ThrowIf(_readerCompleted, this);
        if (_end > _examined || _peerFinished)
        {
            result = Result();
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

    public override void CancelPendingRead() =>
        throw new NotSupportedException("The chat cancels reads with a CancellationToken instead.");

    public override void Complete(Exception? exception = null)
    {
        _readerCompleted = true;
        ReleaseBuffer();
    }

    private ReadResult Result()
    {
        var data = _buffer is null
            ? ReadOnlySequence<byte>.Empty
            : new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
        return new ReadResult(data, isCanceled: false, isCompleted: _peerFinished);
    }

    // Takes what the kernel has now; -1 when it has nothing yet. The socket is non-blocking (the listener sets it).
    private int ReceiveWithoutWaiting()
    {
        var free = EnsureFreeSpace();
        var received = socket.Receive(free.Span, SocketFlags.None, out var error);
        return error switch
        {
            SocketError.Success => received,
            SocketError.WouldBlock => -1,
            _ => throw new SocketException((int)error),
        };
    }

    // Room after the unconsumed bytes: slide them to the front, or move them to a bigger rented array.
    private Memory<byte> EnsureFreeSpace()
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

        return _buffer.AsMemory(_end);
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
