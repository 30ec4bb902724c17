using System.IO.Pipelines;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// The upgraded connection's stream, written by two parties: the WebSocket object (pongs, pings, the close) and the
/// session's <see cref="TextFrameWriter"/> (every chat message). Both write to <see cref="Sink"/> holding
/// <see cref="Gate"/>, whole frames at a time, so their frames never interleave. The sink is the connection's own
/// output (on the HTTP listener, one that sends from the flushing thread), past Kestrel's upgraded stream and its
/// HTTP layer; else that stream.
/// </summary>
internal sealed class SerialWriteStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _ownsSink;

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

    /// <summary>Held while frames are written to <see cref="Sink"/> and flushed.</summary>
    public WriteGate Gate { get; } = new();

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
        await Gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
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
