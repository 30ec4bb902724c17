using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Unicode;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// The session's output for a line protocol carried over a WebSocket (IRC's, IRCv3's WebSocket transport): each line
/// the session writes leaves as one message of its own, without its CR LF, as text (valid UTF-8: anything else is
/// replaced by U+FFFD, as a text message must be) or as binary, whichever the client chose. The connection's own
/// frames (its pongs, pings and close, which the outbox carries too) pass as they are. A turn's bytes gather here and
/// are framed at its flush, into the <see cref="TextFrameWriter"/> below, which sends them.
/// </summary>
internal sealed class LineMessageWriter(PipeWriter frames, bool binary) : PipeWriter
{
    private byte[]? _buffer;
    private int _count;

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _count + frames.UnflushedBytes;

    public override Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_count);

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (_buffer is null || bytes > _buffer.Length - _count)
        {
            throw new InvalidOperationException("Advanced past the memory that was handed out.");
        }

        _count += bytes;
    }

    public override void CancelPendingFlush() => frames.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        Release();
        frames.Complete(exception);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_count > 0)
        {
            var framed = Frame(_buffer.AsSpan(0, _count));

            // An unfinished line (none is written so, but a turn must not lose it) waits for the next turn.
            _buffer.AsSpan(framed, _count - framed).CopyTo(_buffer);
            _count -= framed;
            if (_count == 0)
            {
                Release();
            }
        }

        return frames.FlushAsync(cancellationToken);
    }

    // Frames every whole line and passes every whole frame; returns the bytes it took.
    private int Frame(ReadOnlySpan<byte> written)
    {
        var taken = 0;
        while (taken < written.Length)
        {
            var rest = written[taken..];
            if (TextFrame.IsFrameStart(rest[0]))
            {
                var length = TextFrame.LengthOf(rest);
                if (length == 0 || length > rest.Length)
                {
                    break;
                }

                frames.Write(rest[..(int)length]);
                taken += (int)length;
                continue;
            }

            var end = rest.IndexOf((byte)'\n');
            if (end < 0)
            {
                break;
            }

            var line = rest[..end];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            WriteMessage(line);
            taken += end + 1;
        }

        return taken;
    }

    private void WriteMessage(ReadOnlySpan<byte> line)
    {
        if (!binary && !Utf8.IsValid(line))
        {
            line = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(line)); // U+FFFD for every invalid sequence.
        }

        Span<byte> header = stackalloc byte[TextFrame.MaxHeaderBytes];
        var headerBytes = TextFrame.WriteHeader(header, line.Length, binary ? TextFrame.BinaryFirstByte : TextFrame.FirstByte);
        frames.Write(header[..headerBytes]);
        frames.Write(line);
    }

    private byte[] Reserve(int sizeHint) => PooledBytes.Reserve(ref _buffer, _count, sizeHint);

    private void Release()
    {
        PooledBytes.Release(ref _buffer);
        _count = 0;
    }
}
