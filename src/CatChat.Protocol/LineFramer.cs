using System.Buffers;

namespace CatChat.Protocol;

/// <summary>What one call to <see cref="LineFramer.TryReadLine"/> found.</summary>
public enum FrameResult
{
    /// <summary>No complete line is buffered yet; read more bytes and call again.</summary>
    NeedMoreData,

    /// <summary>A complete line was taken from the buffer.</summary>
    Line,

    /// <summary>A line passed the limit; it is (or will be, up to its newline) discarded.</summary>
    LineTooLong,
}

/// <summary>
/// Splits a byte stream into LF-terminated lines (a CR before the LF is dropped) with a hard length cap.
/// It is the LineReceiver of the talk: pure, no I/O, one instance per connection because an
/// overlong line puts it in a "skip to the next newline" state that spans reads.
/// </summary>
public sealed class LineFramer
{
    /// <summary>The default maximum line length in bytes, not counting CR/LF.</summary>
    public const int DefaultMaxLineBytes = 4096;

    private bool _discardingOverlongLine;

    public LineFramer(int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        MaxLineBytes = maxLineBytes;
    }

    /// <summary>The longest line accepted, in bytes, without its CR/LF terminator.</summary>
    public int MaxLineBytes { get; }

    /// <summary>
    /// Takes the next frame from <paramref name="buffer"/>, which is advanced past what was consumed.
    /// On <see cref="FrameResult.NeedMoreData"/> the caller keeps <paramref name="buffer"/> (never more
    /// than <see cref="MaxLineBytes"/> + 1 bytes of it) and appends the next read to it.
    /// </summary>
    public FrameResult TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        line = default;
        if (_discardingOverlongLine)
        {
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is null)
            {
                // Keep nothing of an overlong line: this is what bounds memory for a client that never sends LF.
                buffer = buffer.Slice(buffer.End);
                return FrameResult.NeedMoreData;
            }

            buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
            _discardingOverlongLine = false;
        }

        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out ReadOnlySequence<byte> rawLine, (byte)'\n'))
        {
            buffer = buffer.Slice(reader.Position);
            line = TrimCarriageReturn(rawLine);
            return line.Length > MaxLineBytes ? FrameResult.LineTooLong : FrameResult.Line;
        }

        // A CR may be waiting for its LF, so a full-length line may occupy one byte more.
        if (buffer.Length > MaxLineBytes + 1)
        {
            _discardingOverlongLine = true;
            buffer = buffer.Slice(buffer.End);
            return FrameResult.LineTooLong;
        }

        return FrameResult.NeedMoreData;
    }

    private static ReadOnlySequence<byte> TrimCarriageReturn(ReadOnlySequence<byte> line)
    {
        if (line.IsEmpty)
        {
            return line;
        }

        var last = line.Slice(line.Length - 1);
        return last.FirstSpan[0] == (byte)'\r' ? line.Slice(0, line.Length - 1) : line;
    }
}
