using System.IO.Pipelines;
using System.Runtime.InteropServices;
using CatChat.Transport.Native;
using CatChat.Transport.Uring;

namespace CatChat.Transport;

/// <summary>
/// A socket's writer that sends from the thread that flushes: writes gather in one pinned buffer and a flush hands
/// them to the kernel at once, without waiting. On a thread that gathers sends (<see cref="SendCoalescer"/>) the send
/// may already have been made in a batch when the flush comes. Only a full kernel buffer makes a flush wait, in the
/// way the subclass knows (<see cref="SendWhenWritableAsync"/>). A peer that has gone away completes the writer rather
/// than throwing.
/// </summary>
internal abstract class StagedSendWriter(SafeHandle socket) : GatheringWriter, IStagedSend
{
    private const int NothingStaged = int.MinValue;
    private const int AwaitingSubmit = int.MinValue + 1;

    private int _stagedResult = NothingStaged;

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
        if (batch.TryStage(this, socket, Gathered, GatheredBytes))
        {
            return true;
        }

        _stagedResult = NothingStaged;
        return false;
    }

    public void OnStagedSendCompleted(int result) => _stagedResult = result;

    protected override void OnFirstWrite() => SendCoalescer.Note(this);

    protected sealed override ValueTask<FlushResult> SendGatheredAsync(CancellationToken cancellationToken)
    {
        // Nearly always the kernel takes everything at once, here or already in a batch.
        var sent = TakeStagedResult();
        if (!Completed)
        {
            sent = SendWithoutWaiting(sent);
        }

        if (sent < GatheredBytes && !Completed)
        {
            return SendWhenWritableAsync(sent, cancellationToken);
        }

        ReleaseGathered();
        return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: Completed));
    }

    /// <summary>
    /// The kernel's buffer was full after <paramref name="sent"/> of the gathered bytes: sends the rest as room
    /// appears, then releases the gathered buffer.
    /// </summary>
    protected abstract ValueTask<FlushResult> SendWhenWritableAsync(int sent, CancellationToken cancellationToken);

    /// <summary>Called before each send without waiting: a subclass that waits for readiness resets it here.</summary>
    protected virtual void BeforeSend()
    {
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

    /// <summary>
    /// Sends from offset <paramref name="sent"/> until done or the kernel buffer is full; returns the new offset. A peer
    /// that is gone, or a socket closed under the writer, completes the writer.
    /// </summary>
    protected unsafe int SendWithoutWaiting(int sent)
    {
        var buffer = Gathered!;
        while (sent < GatheredBytes)
        {
            BeforeSend();
            int count, errno;
            var referenced = false;
            try
            {
                socket.DangerousAddRef(ref referenced);
                fixed (byte* bytes = &buffer[sent])
                {
                    count = (int)Libc.Send((int)socket.DangerousGetHandle(), bytes, GatheredBytes - sent, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
                    errno = count < 0 ? Libc.Errno : 0;
                }
            }
            catch (ObjectDisposedException)
            {
                Completed = true; // Closed while sending.
                return sent;
            }
            finally
            {
                if (referenced)
                {
                    socket.DangerousRelease();
                }
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
