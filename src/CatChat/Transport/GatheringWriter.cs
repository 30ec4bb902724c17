using System.IO.Pipelines;

namespace CatChat.Transport;

/// <summary>
/// A <see cref="PipeWriter"/> whose writes gather in one buffer, grown by doubling, until a flush sends them: the
/// shape both chat transports share. Subclasses say where buffers come from and how a flush leaves. Between
/// flushes it holds no buffer.
/// </summary>
internal abstract class GatheringWriter : PipeWriter
{
    private const int MinimumBufferBytes = 4096;

    /// <summary>The buffer being written into; null while nothing is gathered.</summary>
    protected byte[]? Gathered { get; private set; }

    /// <summary>Bytes written into <see cref="Gathered"/> so far.</summary>
    protected int GatheredBytes { get; private set; }

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
