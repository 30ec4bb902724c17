using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace CatChat.Transport;

/// <summary>
/// The write side of a <see cref="SocketConnection"/> as a <see cref="PipeWriter"/>: the talk's Transport.
/// Writes gather in one rented buffer and leave in <see cref="FlushAsync"/>; between flushes an idle
/// connection holds no buffer. A peer that has gone away completes the writer rather than throwing. The socket must be
/// non-blocking (the listener sets it), so a send never holds a thread.
/// </summary>
internal sealed class SocketOutput(Socket socket) : PipeWriter
{
    private const int MinimumBufferBytes = 4096;

    private byte[]? _buffer;
    private int _written;
    private bool _completed;

    /// <summary>True while a rented buffer is held: never for an idle connection.</summary>
    internal bool HoldsBuffer => _buffer is not null;

    public override void Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (_buffer is null || _written + bytes > _buffer.Length)
        {
            throw new InvalidOperationException("Advanced past the memory that was handed out.");
        }

        _written += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_written);

    public override Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(_written);

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_completed)
        {
            return new FlushResult(isCanceled: false, isCompleted: true);
        }

        if (_buffer is null || _written == 0)
        {
            return default;
        }

        try
        {
            // A non-blocking send first: it nearly always takes everything, and an idle connection then never
            // grows the socket's cached asynchronous send state. Only a full kernel buffer makes us wait.
            var sent = SendWithoutWaiting();
            while (sent < _written)
            {
                sent += await socket.SendAsync(_buffer.AsMemory(sent, _written - sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SocketException ex) when (SocketErrors.PeerIsGone(ex))
        {
            _completed = true;
        }
        catch (ObjectDisposedException)
        {
            _completed = true; // Aborted while sending.
        }
        finally
        {
            ReleaseBuffer();
        }

        return new FlushResult(isCanceled: false, isCompleted: _completed);
    }

    public override void CancelPendingFlush() =>
        throw new NotSupportedException("The chat cancels flushes with a CancellationToken instead.");

    public override void Complete(Exception? exception = null)
    {
        _completed = true;
        ReleaseBuffer();
    }

    private int SendWithoutWaiting()
    {
        var buffer = _buffer!;
        var sent = 0;
        while (sent < _written)
        {
            var count = socket.Send(buffer.AsSpan(sent, _written - sent), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                break;
            }

            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }

            sent += count;
        }

        return sent;
    }

    // Grows the one buffer to fit sizeHint more bytes after what is already written.
    private byte[] Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(needed, MinimumBufferBytes));
        }
        else if (needed > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _written);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        return _buffer;
    }

    private void ReleaseBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        _written = 0;
    }
}
