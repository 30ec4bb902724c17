using System.IO.Pipelines;
using CatChat.Transport.Native;
using CatChat.Transport.Uring;

namespace CatChat.Transport;

/// <summary>
/// The write side of a <see cref="SocketConnection"/> as a <see cref="PipeWriter"/>: the talk's Transport.
/// Writes gather in one rented buffer and leave in <see cref="FlushAsync"/>, which sends at once without
/// waiting; only a full kernel buffer makes it wait for the reactor to report room. Between flushes an idle
/// connection holds no buffer. A peer that has gone away completes the writer rather than throwing. On a thread that
/// gathers sends (<see cref="SendCoalescer"/>), the send may already have been made in a batch when the flush comes.
/// </summary>
internal sealed class SocketOutput(SocketHandle handle) : GatheringWriter, IStagedSend
{
    private const int NothingStaged = int.MinValue;
    private const int AwaitingSubmit = int.MinValue + 1;

    private int _readiness;
    private int _stagedResult = NothingStaged;
    private TaskCompletionSource? _writable;

    /// <summary>True while a rented buffer is held: never for an idle connection.</summary>
    internal bool HoldsBuffer => Gathered is not null;

    // Staged at most once per flush: a writer noted twice (a flush between two writes) is staged with its later bytes only.
    public bool TryStageSend(SendBatch batch)
    {
        if (_stagedResult != NothingStaged || Gathered is null || GatheredBytes == 0 || Completed || Aborted)
        {
            return false;
        }

        _stagedResult = AwaitingSubmit;
        if (batch.TryStage(this, handle, Gathered, GatheredBytes))
        {
            return true;
        }

        _stagedResult = NothingStaged;
        return false;
    }

    public void OnStagedSendCompleted(int result) => _stagedResult = result;

    protected override void OnFirstWrite() => SendCoalescer.Note(this);

    protected override ValueTask<FlushResult> SendGatheredAsync(CancellationToken cancellationToken)
    {
        // Nearly always the kernel takes everything at once, here or already in a batch.
        var sent = TakeStagedResult();
        if (!Completed)
        {
            sent = SendWithoutWaiting(sent);
        }

        if (sent < GatheredBytes && !Completed)
        {
            return FlushWhenWritableAsync(sent, cancellationToken);
        }

        ReleaseGathered();
        return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: Completed));
    }

    public override void CancelPendingFlush() =>
        throw new NotSupportedException("Flushes are cancelled with a CancellationToken instead.");

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
        MarkAborted();
        OnWritable();
    }

    private async ValueTask<FlushResult> FlushWhenWritableAsync(int sent, CancellationToken cancellationToken)
    {
        try
        {
            while (sent < GatheredBytes && !Completed)
            {
                // Parked only if no event came since the send that found the buffer full; else try again at once.
                var writable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _writable = writable;
                if (Readiness.TryPark(ref _readiness))
                {
                    await writable.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                if (Aborted)
                {
                    Completed = true;
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

        return new FlushResult(isCanceled: false, isCompleted: Completed);
    }

    // What a batch already sent of the gathered bytes (0 if none was staged); a peer that is gone completes the writer.
    // EAGAIN counts as nothing sent: the send is simply tried again here, which also arms the wait for room.
    private int TakeStagedResult()
    {
        var result = _stagedResult;
        _stagedResult = NothingStaged;
        if (result >= 0)
        {
            return result;
        }

        if (result is not NothingStaged and not AwaitingSubmit && result != -Libc.EAGAIN && result != -Libc.EINTR)
        {
            Completed = true;
        }

        return 0;
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
                Completed = true; // Aborted while sending.
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
                Completed = true;
                return sent;
            }
        }

        return sent;
    }

    // A batched broadcast holds a buffer for each of up to SendBatch.Capacity connections at once, more than the shared
    // array pool keeps: the pinned pool keeps enough, and a batch needs its buffers pinned (SendBatch.TryStage).
    protected override byte[] Rent(int minimumLength) => PinnedBuffers.Rent(minimumLength);

    protected override void Return(byte[] buffer) => PinnedBuffers.Return(buffer);
}
