using System.Buffers;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// The upgraded connection's stream with a cork, as TCP_CORK has: while corked, what the WebSocket writes (one frame
/// per message) gathers in one buffer, and uncorking writes it all at once. The socket's sender corks around every
/// batch of queued messages, so a browser that is sent ten lines gets one write to the socket, not ten: the netcat
/// door's batching, for frames. An idle connection holds no buffer: it is rented for a batch and returned after it.
/// </summary>
internal sealed class CorkableStream(Stream inner) : Stream
{
    private const int InitialBufferBytes = 4096;

    // Serialises writes to the inner stream: the WebSocket's own pongs and close frames may come from its receive
    // side while the sender uncorks.
    private readonly SemaphoreSlim _writing = new(1, 1);
    private byte[]? _buffer;
    private int _buffered;
    private bool _corked;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>From now on, writes gather until <see cref="UncorkAsync"/>.</summary>
    public void Cork() => Volatile.Write(ref _corked, true);

    /// <summary>Writes what gathered while corked, in one write, and lets later writes through at once.</summary>
    public async ValueTask UncorkAsync(CancellationToken cancellationToken = default)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Volatile.Write(ref _corked, false);
            if (_buffer is { } buffer)
            {
                var count = _buffered;
                _buffer = null;
                _buffered = 0;
                try
                {
                    await inner.WriteAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _corked))
            {
                Gather(data.Span);
            }
            else
            {
                await inner.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    // Gathered bytes leave on uncorking; the inner stream flushes its own writes.
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _corked) ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            if (_buffer is { } buffer)
            {
                _buffer = null;
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        base.Dispose(disposing);
    }

    private void Gather(ReadOnlySpan<byte> data)
    {
        var needed = _buffered + data.Length;
        if (_buffer is null || _buffer.Length < needed)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(InitialBufferBytes, (_buffer?.Length ?? 0) * 2)));
            if (_buffer is { } old)
            {
                old.AsSpan(0, _buffered).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(old);
            }

            _buffer = grown;
        }

        data.CopyTo(_buffer.AsSpan(_buffered));
        _buffered = needed;
    }
}
