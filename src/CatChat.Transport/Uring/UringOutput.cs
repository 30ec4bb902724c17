using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace CatChat.Transport.Uring;

/// <summary>
/// The write side of a <see cref="UringConnection"/> as a <see cref="PipeWriter"/>. Writes gather in one pinned
/// buffer; a flush hands that buffer to the ring, whose thread sends it (again for whatever a short send left)
/// and then completes the flush. The buffer belongs to the kernel until its last send completes, so neither an
/// abort nor a close returns it early. Between flushes an idle connection holds no buffer.
/// </summary>
internal sealed unsafe class UringOutput(UringConnection connection) : GatheringWriter, IValueTaskSource<FlushResult>
{
    private ManualResetValueTaskSourceCore<FlushResult> _flush = new() { RunContinuationsAsynchronously = true };
    private byte[]? _sending;
    private int _sendLength;
    private int _sent;

    /// <summary>True while a buffer is held, by the writer or by a send in flight: never for an idle connection.</summary>
    internal bool HoldsBuffer => Gathered is not null || Volatile.Read(ref _sending) is not null;

    protected override ValueTask<FlushResult> SendGatheredAsync(CancellationToken cancellationToken)
    {
        _flush.Reset();
        var (buffer, length) = TakeGathered();
        _sendLength = length;
        _sent = 0;
        Volatile.Write(ref _sending, buffer);
        connection.RequestSend();
        return new ValueTask<FlushResult>(this, _flush.Version);
    }

    public override void CancelPendingFlush() =>
        throw new NotSupportedException("Flushes are not cancelled here.");

    FlushResult IValueTaskSource<FlushResult>.GetResult(short token) => _flush.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<FlushResult>.GetStatus(short token) => _flush.GetStatus(token);

    void IValueTaskSource<FlushResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _flush.OnCompleted(continuation, state, token, flags);

    /// <summary>The connection was closed: the next flush reports the writer completed.</summary>
    internal void OnAborted() => MarkAborted();

    /// <summary>On the ring's thread: what the next send of the flush in flight covers; false when there is none.</summary>
    internal bool TryNextSend(out byte* bytes, out int length)
    {
        var sending = Volatile.Read(ref _sending);
        if (sending is null || _sent >= _sendLength)
        {
            bytes = null;
            length = 0;
            return false;
        }

        // A pinned array: its address holds until it is returned to the pool.
        bytes = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(sending)) + _sent;
        length = _sendLength - _sent;
        return true;
    }

    /// <summary>
    /// On the ring's thread: a send completed with <paramref name="result"/> (bytes sent, or a negative errno).
    /// True when more of the flush remains to be sent.
    /// </summary>
    internal bool OnSent(int result)
    {
        if (result > 0)
        {
            _sent += result;
            if (_sent < _sendLength && !Aborted)
            {
                return true;
            }
        }

        // A failed send (reset, broken pipe, the connection closed) means the peer gets nothing more.
        var peerGone = result <= 0 || _sent < _sendLength;
        var sent = Volatile.Read(ref _sending);
        if (sent is not null)
        {
            _sending = null;
            PinnedBuffers.Return(sent);
            if (peerGone)
            {
                Completed = true;
            }

            _flush.SetResult(new FlushResult(isCanceled: false, isCompleted: peerGone || Completed));
        }

        return false;
    }

    protected override byte[] Rent(int minimumLength) => PinnedBuffers.Rent(minimumLength);

    protected override void Return(byte[] buffer) => PinnedBuffers.Return(buffer);
}
