using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CatChat.Transport.Native;
using CatChat.Transport.Uring;

namespace CatChat.Transport;

/// <summary>
/// The sends of many connections made with one system call. A flush lane stages each connection's send of its turn
/// here and submits them together through an io_uring ring of its own: on the machine the benchmarks run on, a
/// loopback send cost about 6 µs as a system call of its own and about 4 µs as one entry of a thousand in one
/// <c>io_uring_enter</c>, and a broadcast is a thousand such sends. Every send carries MSG_DONTWAIT, so it completes
/// within the submitting call: one that finds the socket buffer full reports EAGAIN (or a short count) rather than
/// waiting in the ring, and its connection then waits for room as it always did. Used by one thread at a time.
/// </summary>
internal sealed unsafe class SendBatch : IDisposable
{
    /// <summary>Sends per submission: a larger batch is submitted in parts as it fills.</summary>
    public const int Capacity = 1024;

    private readonly UringRing _ring;
    private readonly Staged[] _staged = new Staged[Capacity];
    private int _count;

    private SendBatch(UringRing ring) => _ring = ring;

    /// <summary>System calls made to submit batches, for tests and the curious.</summary>
    public long Submissions { get; private set; }

    /// <summary>A batch with its own ring, or null with the reason where io_uring is not available (an old kernel, a seccomp filter).</summary>
    public static SendBatch? TryCreate(out string? unavailableReason)
    {
        try
        {
            var ring = new UringRing(Capacity, directDescriptors: 0, bufferCount: 0, bufferSize: 0, singleIssuer: false);
            unavailableReason = null;
            return new SendBatch(ring);
        }
        catch (IOException ex)
        {
            unavailableReason = ex.Message;
            return null;
        }
    }

    /// <summary>
    /// Stages a send of <paramref name="length"/> bytes of <paramref name="buffer"/> on <paramref name="socket"/>; its
    /// result goes to <paramref name="output"/> when the batch is submitted. False when the socket is already closed.
    /// The buffer must live on the pinned object heap (<see cref="PinnedBuffers"/>, or <c>pinned: true</c>): the kernel
    /// reads it by address during <see cref="Submit"/>, and nothing else holds it still.
    /// </summary>
    public bool TryStage(IStagedSend output, SafeHandle socket, byte[] buffer, int length)
    {
        if (_count == Capacity)
        {
            Submit();
        }

        // The reference keeps the descriptor open (and its number ours) until the kernel has made the send.
        var referenced = false;
        try
        {
            socket.DangerousAddRef(ref referenced);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        if (!_ring.TryGetSqe(out var sqe))
        {
            // Cannot happen while the ring's queue is as big as the batch; undo rather than lose the send.
            socket.DangerousRelease();
            return false;
        }

        var bytes = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        Sqe.SendWithoutWaiting(sqe, (int)socket.DangerousGetHandle(), bytes, length, (ulong)_count);
        _staged[_count++] = new Staged(output, socket);
        return true;
    }

    /// <summary>
    /// Makes every staged send in one system call and hands each connection its result. Should the ring fail, the sends
    /// it did not make report nothing sent (their connections send them on their own) and the batch is
    /// <see cref="Broken"/>: its ring may still hold them, so it must not be submitted again.
    /// </summary>
    public void Submit()
    {
        if (_count == 0)
        {
            return;
        }

        try
        {
            // Nothing here can wait (MSG_DONTWAIT), so asking for every completion returns as soon as the sends are made.
            _ring.SubmitAndWait((uint)_count);
            Submissions++;
            ReapAll(waitForMissing: true);
        }
        catch (IOException)
        {
            Broken = true;
            ReapAll(waitForMissing: false);
            for (var i = 0; i < _count; i++)
            {
                if (!_staged[i].Done)
                {
                    _staged[i].Output.OnStagedSendCompleted(0);
                }
            }
        }

        for (var i = 0; i < _count; i++)
        {
            _staged[i].Socket.DangerousRelease();
            _staged[i] = default;
        }

        _count = 0;
    }

    /// <summary>True once the ring failed: the lane sends without it from then on.</summary>
    public bool Broken { get; private set; }

    private void ReapAll(bool waitForMissing)
    {
        var reaped = 0;
        while (reaped < _count)
        {
            if (!_ring.TryReap(out var index, out var result, out _))
            {
                if (!waitForMissing)
                {
                    return;
                }

                _ring.SubmitAndWait((uint)(_count - reaped));
                continue;
            }

            _staged[index].Output.OnStagedSendCompleted(result);
            _staged[index].Done = true;
            reaped++;
        }
    }

    public void Dispose() => _ring.Dispose();

    private record struct Staged(IStagedSend Output, SafeHandle Socket)
    {
        public bool Done { get; set; }
    }
}
