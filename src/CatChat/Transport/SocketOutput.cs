using System.Buffers;
using System.IO.Pipelines;
using CatChat.Transport.Native;

namespace CatChat.Transport;

/// <summary>
/// The write side of a <see cref="SocketConnection"/> as a <see cref="PipeWriter"/>: the talk's Transport.
/// Writes gather in one rented buffer and leave in <see cref="FlushAsync"/>, which sends at once without
/// waiting; only a full kernel buffer makes it wait for the reactor to report room. Between flushes an idle
/// connection holds no buffer. A peer that has gone away completes the writer rather than throwing.
/// </summary>
internal sealed class SocketOutput(SocketHandle handle) : GatheringWriter
{
    private int _readiness;
    private bool _completed;
    private volatile bool _aborted;
    private TaskCompletionSource? _writable;

    /// <summary>True while a rented buffer is held: never for an idle connection.</summary>
    internal bool HoldsBuffer => Gathered is not null;

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_completed || _aborted)
        {
            _completed = true;
            ReleaseGathered();
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
        }

        if (Gathered is null || GatheredBytes == 0)
        {
            return default;
        }

        // Nearly always the kernel takes everything at once.
        var sent = SendWithoutWaiting(0);
        if (sent < GatheredBytes && !_completed)
        {
            return FlushWhenWritableAsync(sent, cancellationToken);
        }

        ReleaseGathered();
        return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: _completed));
    }

    public override void CancelPendingFlush() =>
        throw new NotSupportedException("The chat cancels flushes with a CancellationToken instead.");

    public override void Complete(Exception? exception = null)
    {
        _completed = true;
        ReleaseGathered();
    }

    /// <summary>The reactor saw room in the kernel's send buffer (or a hang-up, which the next send reports).</summary>
    internal void OnWritable()
    {
        if (Readiness.Signal(ref _readiness))
        {
            _writable!.TrySetResult();
        }
    }

    /// <summary>The connection was closed: a waiting flush gives up.</summary>
    internal void OnAborted()
    {
        _aborted = true;
        OnWritable();
    }

    private async ValueTask<FlushResult> FlushWhenWritableAsync(int sent, CancellationToken cancellationToken)
    {
        try
        {
            while (sent < GatheredBytes && !_completed)
            {
                // Parked only if no event came since the send that found the buffer full; else try again at once.
                var writable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _writable = writable;
                if (Readiness.TryPark(ref _readiness))
                {
                    await writable.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                if (_aborted)
                {
                    _completed = true;
                    break;
                }

                sent = SendWithoutWaiting(sent);
            }
        }
        finally
        {
            _writable = null;
            ReleaseGathered();
        }

        return new FlushResult(isCanceled: false, isCompleted: _completed);
    }

    // Sends from offset sent until done or the kernel buffer is full; returns the new offset. A peer that is gone completes the writer.
    private unsafe int SendWithoutWaiting(int sent)
    {
        var buffer = Gathered!;
        while (sent < GatheredBytes)
        {
            Volatile.Write(ref _readiness, Readiness.Trying);
            int count, errno;
            try
            {
                fixed (byte* bytes = &buffer[sent])
                {
                    count = (int)Libc.Send(handle, bytes, GatheredBytes - sent, Libc.MSG_NOSIGNAL);
                    errno = count < 0 ? Libc.Errno : 0;
                }
            }
            catch (ObjectDisposedException)
            {
                _completed = true; // Aborted while sending.
                return sent;
            }

            if (count >= 0)
            {
                sent += count;
            }
            else if (errno == Libc.EAGAIN)
            {
                return sent;
            }
            else if (errno != Libc.EINTR)
            {
                // Reset, broken pipe, keepalive timeout: the peer is gone and nothing more will reach it.
                _completed = true;
                return sent;
            }
        }

        return sent;
    }

    protected override byte[] Rent(int minimumLength) => ArrayPool<byte>.Shared.Rent(minimumLength);

    protected override void Return(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);
}
