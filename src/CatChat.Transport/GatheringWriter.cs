using System.IO.Pipelines;

namespace CatChat.Transport;

/// <summary>
/// A <see cref="PipeWriter"/> whose writes gather in one buffer, grown by doubling, until a flush sends them: the
/// shape both socket transports share. Subclasses say where buffers come from and how a flush leaves. Between
/// flushes it holds no buffer.
/// </summary>
internal abstract class GatheringWriter : PipeWriter
{
    private const int MinimumBufferBytes = 4096;

    private volatile bool _aborted;

    /// <summary>The buffer being written into; null while nothing is gathered.</summary>
    protected byte[]? Gathered { get; private set; }

    /// <summary>Bytes written into <see cref="Gathered"/> so far.</summary>
    protected int GatheredBytes { get; private set; }

    /// <summary>Nothing more will leave: the writer completed, or the peer is gone.</summary>
    protected bool Completed { get; set; }

    /// <summary>The connection was closed under the writer (from any thread).</summary>
    protected bool Aborted => _aborted;

    // Kestrel's HTTP output and System.Text.Json ask, to decide when to flush a long response.
    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => GatheredBytes;

    /// <summary>
    /// A completed or aborted writer reports itself completed; with nothing gathered there is nothing to do;
    /// otherwise the subclass sends what is gathered.
    /// </summary>
    public sealed override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (Completed || _aborted)
        {
            Completed = true;
            ReleaseGathered();
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
        }

        return Gathered is null || GatheredBytes == 0 ? default : SendGatheredAsync(cancellationToken);
    }

    public override void Complete(Exception? exception = null)
    {
        Completed = true;
        ReleaseGathered();
    }

    public override void Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (Gathered is null || GatheredBytes + bytes > Gathered.Length)
        {
            throw new InvalidOperationException("Advanced past the memory that was handed out.");
        }

        GatheredBytes += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(GatheredBytes);

    public override Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(GatheredBytes);

    /// <summary>Sends the gathered bytes (there are some); completes once they have left or the peer is gone.</summary>
    protected abstract ValueTask<FlushResult> SendGatheredAsync(CancellationToken cancellationToken);

    /// <summary>The first write since the last flush has taken a buffer.</summary>
    protected virtual void OnFirstWrite()
    {
    }

    /// <summary>Marks the writer aborted: the next flush reports it completed.</summary>
    protected void MarkAborted() => _aborted = true;

    protected abstract byte[] Rent(int minimumLength);

    protected abstract void Return(byte[] buffer);

    /// <summary>Gives the gathered buffer back to where it came from.</summary>
    protected void ReleaseGathered()
    {
        if (Gathered is not null)
        {
            Return(Gathered);
            Gathered = null;
        }

        GatheredBytes = 0;
    }

    /// <summary>Hands the gathered buffer over (to a send that outlives the call): the caller returns it later.</summary>
    protected (byte[] Buffer, int Length) TakeGathered()
    {
        var taken = (Gathered!, GatheredBytes);
        Gathered = null;
        GatheredBytes = 0;
        return taken;
    }

    // Grows the one buffer to fit sizeHint more bytes after what is already written.
    private byte[] Reserve(int sizeHint)
    {
        var needed = GatheredBytes + Math.Max(sizeHint, 1);
        if (Gathered is null)
        {
            Gathered = Rent(Math.Max(needed, MinimumBufferBytes));
            OnFirstWrite();
        }
        else if (needed > Gathered.Length)
        {
            var bigger = Rent(Math.Max(needed, Gathered.Length * 2));
            Buffer.BlockCopy(Gathered, 0, bigger, 0, GatheredBytes);
            Return(Gathered);
            Gathered = bigger;
        }

        return Gathered;
    }
}
