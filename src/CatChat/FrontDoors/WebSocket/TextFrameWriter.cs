using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// The session's output for a web chat socket: what the session writes are lines, and a flush turns every complete
/// one into a WebSocket text frame and writes them all to the connection in one go. This is the netcat door's one
/// write per batch, without a pipe and a <c>SendAsync</c> per message in between. The WebSocket object keeps the rest
/// of the protocol (reading, pings, pongs, the close), and <see cref="SerialWriteStream"/> keeps its frames and these
/// apart. An idle writer holds no buffer.
/// </summary>
internal sealed class TextFrameWriter(SerialWriteStream connection) : PipeWriter
{
    private const int MinimumBufferBytes = 4096;

    // FIN with the text opcode: every message is one frame.
    private const byte FinalTextFrame = 0x81;

    // A frame's header is at most 10 bytes from the server (no mask).
    private const int MaxHeaderBytes = 10;

    private byte[]? _lines;
    private int _written;
    private volatile bool _done;

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _written;

    /// <summary>Writing ends now (the socket is being torn down): a waiting or later flush reports completion.</summary>
    public void Abort() => _done = true;

    public override void Advance(int bytes)
    {
        if (_lines is null || _written + bytes > _lines.Length)
        {
            throw new InvalidOperationException("Advanced past the memory that was handed out.");
        }

        _written += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_written);

    public override Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(_written);

    public override void CancelPendingFlush() => _done = true;

    public override void Complete(Exception? exception = null)
    {
        _done = true;
        ReleaseLines();
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_done)
        {
            ReleaseLines();
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
        }

        if (_lines is null || TakeFrames() is not { } frames)
        {
            return default;
        }

        return WriteAsync(frames, cancellationToken);
    }

    private async ValueTask<FlushResult> WriteAsync((byte[] Buffer, int Length) frames, CancellationToken cancellationToken)
    {
        try
        {
            await connection.WriteAsync(frames.Buffer.AsMemory(0, frames.Length), cancellationToken).ConfigureAwait(false);
            return new FlushResult(isCanceled: false, isCompleted: _done);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            _done = true; // The connection is gone: nothing more leaves.
            return new FlushResult(isCanceled: false, isCompleted: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frames.Buffer);
        }
    }

    // Frames every complete line written so far into one rented buffer; what follows the last newline stays for the
    // next flush. Null when no line is complete.
    private (byte[] Buffer, int Length)? TakeFrames()
    {
        var pending = _lines.AsSpan(0, _written);
        var lastEnd = pending.LastIndexOf(WebJson.Separator);
        if (lastEnd < 0)
        {
            return null;
        }

        var complete = pending[..(lastEnd + 1)];
        var frames = ArrayPool<byte>.Shared.Rent(complete.Length + (complete.Count(WebJson.Separator) * MaxHeaderBytes));
        var length = 0;
        foreach (var range in complete[..^1].Split(WebJson.Separator))
        {
            var line = complete[range];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            // A line the chat wrote as plain text (an admission refusal) is wrapped in a message.
            byte[]? wrapped = null;
            if (line.Length == 0 || line[0] != (byte)'{')
            {
                wrapped = WebJson.FromPlainLine(line);
                line = wrapped.AsSpan(0, wrapped.Length - 1);
            }

            if (length + line.Length + MaxHeaderBytes > frames.Length)
            {
                var grown = ArrayPool<byte>.Shared.Rent(Math.Max(frames.Length * 2, length + line.Length + MaxHeaderBytes));
                frames.AsSpan(0, length).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(frames);
                frames = grown;
            }

            length += WriteHeader(frames.AsSpan(length), line.Length);
            line.CopyTo(frames.AsSpan(length));
            length += line.Length;
        }

        // The incomplete rest moves to the front; with none, the buffer goes back (an idle writer holds none).
        var rest = _written - (lastEnd + 1);
        if (rest == 0)
        {
            ReleaseLines();
        }
        else
        {
            _lines.AsSpan(lastEnd + 1, rest).CopyTo(_lines);
            _written = rest;
        }

        return (frames, length);
    }

    private static int WriteHeader(Span<byte> destination, int payloadLength)
    {
        destination[0] = FinalTextFrame;
        if (payloadLength < 126)
        {
            destination[1] = (byte)payloadLength;
            return 2;
        }

        if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            return 4;
        }

        destination[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
        return 10;
    }

    private byte[] Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (_lines is null || _lines.Length < needed)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(MinimumBufferBytes, (_lines?.Length ?? 0) * 2)));
            if (_lines is { } old)
            {
                old.AsSpan(0, _written).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(old);
            }

            _lines = grown;
        }

        return _lines;
    }

    private void ReleaseLines()
    {
        if (_lines is { } lines)
        {
            _lines = null;
            _written = 0;
            ArrayPool<byte>.Shared.Return(lines);
        }
    }
}
