using System.Buffers;
using System.IO.Pipelines;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// The session's output for a web chat socket. What the session queues are whole frames (<see cref="WebJson"/> makes
/// each message's frame once, for every recipient), so a turn's writes go straight into the socket's output
/// (<see cref="SerialWriteStream.Sink"/>) and its flush sends them in one go, in a flush lane's batch with the other
/// connections' sends when there is one. Once the WebSocket object's frames go through the outbox too
/// (<see cref="SerialWriteStream.RouteFramesTo"/>) this writer is the sink's one writer: after the first turn that
/// finds them routed (taken under the lock, so no frame of the WebSocket object's is still being written) it writes
/// without the lock, as the other front doors' outboxes write their sockets. Until then the connection's write lock is
/// taken at a turn's first write, without waiting, and let go when its flush is done; should the WebSocket object hold
/// it (a pong), the turn's bytes wait in a buffer of their own and the flush waits for the lock. Plain text written
/// before the session starts (an admission refusal) is wrapped in a message. A flush must come after whole messages.
/// An idle writer holds no buffer.
/// </summary>
internal sealed class TextFrameWriter(SerialWriteStream connection) : PipeWriter
{
    private readonly PipeWriter _sink = connection.Sink;
    private int _holding; // 1 while this writer holds the connection's write lock.
    private bool _alone; // The sink's one writer: no lock from now on (only the turns' own thread reads it).
    private int _flushing; // 1 while a flush of the sink's is still under way.
    private long _sinkBytes; // Written into the sink this turn.
    private byte[]? _kept; // This turn's bytes while the lock was busy, or plain text to wrap.
    private int _keptBytes;
    private bool _plain;
    private Memory<byte> _lent;
    private bool _lentFromSink;
    private volatile bool _done;

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _sinkBytes + _keptBytes;

    /// <summary>Writing ends now (the socket is being torn down): a waiting or later flush reports completion.</summary>
    public void Abort()
    {
        _done = true;
        LetGo();
    }

    /// <summary>True while a flush of this writer's has not finished: nothing else may write the sink yet.</summary>
    public bool IsFlushing => Volatile.Read(ref _flushing) != 0;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_alone && !_done)
        {
            _lent = _sink.GetMemory(sizeHint);
            _lentFromSink = true;
            return _lent;
        }

        if (!_plain && _keptBytes == 0 && !_done && (Volatile.Read(ref _holding) == 1 || TryTakeLock()))
        {
            _lent = _sink.GetMemory(sizeHint);
            _lentFromSink = true;
        }
        else
        {
            _lent = Reserve(sizeHint).AsMemory(_keptBytes);
            _lentFromSink = false;
        }

        return _lent;
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (bytes > _lent.Length)
        {
            throw new InvalidOperationException("Advanced past the memory that was handed out.");
        }

        if (!_lentFromSink)
        {
            _keptBytes += bytes;
            return;
        }

        // A turn that starts with anything but a frame is plain text: it is kept, to be wrapped at the flush.
        if (!_alone && _sinkBytes == 0 && bytes > 0 && !TextFrame.IsFrameStart(_lent.Span[0]))
        {
            _plain = true;
            _lent.Span[..bytes].CopyTo(Reserve(bytes).AsSpan(_keptBytes));
            _keptBytes += bytes;
            return;
        }

        _sink.Advance(bytes);
        _sinkBytes += bytes;
    }

    public override void CancelPendingFlush() => _sink.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        _done = true;
        ReleaseKept();
        LetGo();
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_done)
        {
            ReleaseKept();
            LetGo();
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
        }

        if (_sinkBytes == 0 && _keptBytes == 0)
        {
            LetGo();
            return default;
        }

        if (!_alone)
        {
            if (Volatile.Read(ref _holding) == 0)
            {
                return FlushWhenLockedAsync(cancellationToken);
            }

            // Holding the lock, with the WebSocket object's frames routed: none of its writes can be under way or
            // start, so the lock is needed no more.
            _alone = connection.FramesRouted;
        }

        MoveKeptIntoSink();
        var flush = _sink.FlushAsync(cancellationToken);
        if (!flush.IsCompletedSuccessfully)
        {
            return FinishAsync(flush);
        }

        EndTurn();
        return new ValueTask<FlushResult>(Reported(flush.Result));
    }

    private async ValueTask<FlushResult> FlushWhenLockedAsync(CancellationToken cancellationToken)
    {
        await connection.Gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _holding, 1);
        _done |= connection.CloseWritten;
        if (_done)
        {
            ReleaseKept();
            LetGo();
            return new FlushResult(isCanceled: false, isCompleted: true);
        }

        MoveKeptIntoSink();
        return await FinishAsync(_sink.FlushAsync(cancellationToken)).ConfigureAwait(false);
    }

    private async ValueTask<FlushResult> FinishAsync(ValueTask<FlushResult> flush)
    {
        Volatile.Write(ref _flushing, 1);
        try
        {
            return Reported(await flush.ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            _done = true; // The connection is gone: nothing more leaves.
            return new FlushResult(isCanceled: false, isCompleted: true);
        }
        finally
        {
            Volatile.Write(ref _flushing, 0);
            EndTurn();
        }
    }

    private FlushResult Reported(FlushResult result)
    {
        _done |= result.IsCompleted;
        return new FlushResult(result.IsCanceled, _done);
    }

    // The kept bytes (frames written while the lock was busy, or plain lines) go into the sink, as frames.
    private void MoveKeptIntoSink()
    {
        if (_keptBytes == 0)
        {
            return;
        }

        var kept = _kept.AsSpan(0, _keptBytes);
        if (!_plain)
        {
            _sink.Write(kept);
        }
        else
        {
            // Each complete line becomes one message; an unfinished one is dropped with the turn (only whole
            // refusal lines are written as plain text).
            foreach (var range in kept.Split(WebJson.Separator))
            {
                var line = kept[range];
                if (line.Length > 0 && line[^1] == (byte)'\r')
                {
                    line = line[..^1];
                }

                if (!line.IsEmpty)
                {
                    _sink.Write(WebJson.FromPlainLine(line));
                }
            }
        }

        ReleaseKept();
    }

    private void EndTurn()
    {
        _sinkBytes = 0;
        _plain = false;
        LetGo();
    }

    private bool TryTakeLock()
    {
        if (!connection.Gate.TryEnter())
        {
            return false;
        }

        Volatile.Write(ref _holding, 1);
        if (connection.CloseWritten)
        {
            // The socket has said its last frame: this turn's bytes are kept, and dropped at its flush.
            _done = true;
            LetGo();
            return false;
        }

        return true;
    }

    private void LetGo()
    {
        if (Volatile.Read(ref _holding) == 1 && Interlocked.Exchange(ref _holding, 0) == 1)
        {
            connection.Gate.Exit();
        }
    }

    private byte[] Reserve(int sizeHint) => PooledBytes.Reserve(ref _kept, _keptBytes, sizeHint);

    private void ReleaseKept()
    {
        PooledBytes.Release(ref _kept);
        _keptBytes = 0;
    }
}
