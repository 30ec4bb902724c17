using System.IO.Pipelines;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// The upgraded connection's stream, written by two parties: the WebSocket object (pongs, pings, the close) and the
/// session's <see cref="TextFrameWriter"/> (every chat message). Until a session routes the WebSocket object's frames
/// into its outbox (<see cref="RouteFramesTo"/>), both write to <see cref="Sink"/> holding <see cref="Gate"/>, whole
/// frames at a time, so their frames never interleave; from then on the outbox is the sink's one writer and the
/// session's frames need no lock. The sink is the connection's own output (on the HTTP listener, one that sends from
/// the flushing thread), past Kestrel's upgraded stream and its HTTP layer; else that stream.
/// </summary>
internal sealed class SerialWriteStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _ownsSink;
    private Func<byte[], bool>? _frameQueue;

    /// <param name="inner">The upgraded stream: reads come from it, and writes go to it unless <paramref name="direct"/> is given.</param>
    /// <param name="direct">The connection's output, written straight once the upgrade's response is in it.</param>
    public SerialWriteStream(Stream inner, PipeWriter? direct = null)
    {
        _inner = inner;
        _ownsSink = direct is null;
        Sink = direct ?? PipeWriter.Create(inner, new StreamPipeWriterOptions(leaveOpen: true));
    }

    /// <summary>Where every frame goes, by whoever holds <see cref="Gate"/>.</summary>
    public PipeWriter Sink { get; }

    /// <summary>Held while frames are written to <see cref="Sink"/> and flushed, until frames are routed.</summary>
    public WriteGate Gate { get; } = new();

    /// <summary>
    /// True once the WebSocket object has written its close frame straight to the sink (a protocol error before the
    /// session took its frames, or the last close): whoever holds <see cref="Gate"/> after it writes nothing more.
    /// </summary>
    public bool CloseWritten => Volatile.Read(ref _closeWritten);

    private bool _closeWritten;

    /// <summary>True while the WebSocket object's frames go into a session's outbox instead of the sink.</summary>
    public bool FramesRouted => Volatile.Read(ref _frameQueue) is not null;

    /// <summary>
    /// From now on every frame the WebSocket object writes is queued with <paramref name="queue"/> (the session's
    /// outbox, which then writes the sink alone); one it writes under the lock just now still goes straight to the sink.
    /// </summary>
    public void RouteFramesTo(Func<byte[], bool> queue) => Volatile.Write(ref _frameQueue, queue);

    /// <summary>
    /// The outbox has finished: the WebSocket object's frames (its close) go straight to the sink again, under the
    /// lock. Only once nothing of the session's is being flushed.
    /// </summary>
    public void StopRoutingFrames() => Volatile.Write(ref _frameQueue, null);

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (TryQueue(data))
        {
            return;
        }

        await Gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Routed while this waited for the lock: the outbox may be writing the sink now.
            if (TryQueue(data))
            {
                return;
            }

            if (TextFrame.IsCloseFrame(data.Span))
            {
                Volatile.Write(ref _closeWritten, true);
            }

            var flushed = await Sink.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            if (flushed.IsCompleted)
            {
                throw new IOException("The connection is closed.");
            }
        }
        finally
        {
            Gate.Exit();
        }
    }

    // The WebSocket object writes a frame in one call (header and payload together), so each is queued whole. Queued
    // or dropped (an outbox already closed, or a full one, which cuts the slow reader off): either way it is done.
    private bool TryQueue(ReadOnlyMemory<byte> frame)
    {
        if (Volatile.Read(ref _frameQueue) is not { } queue)
        {
            return false;
        }

        queue(frame.ToArray());
        return true;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    // Every write is flushed as it is made.
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (_ownsSink)
            {
                Sink.Complete();
            }

            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
