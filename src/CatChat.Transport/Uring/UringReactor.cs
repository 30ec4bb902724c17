using System.Collections.Concurrent;
using System.Net;
using System.Runtime.InteropServices;
using CatChat.Transport.Native;

namespace CatChat.Transport.Uring;

/// <summary>
/// A proactor over one <see cref="UringRing"/>: its thread submits every operation and handles every completion,
/// for the ring's accept and for each of its connections. Other threads queue a connection with what it wants
/// (<see cref="Enqueue"/>) and wake the thread through an eventfd the ring is always reading.
/// </summary>
internal sealed unsafe class UringReactor : IDisposable, IWakeable
{
    public const int KindWake = 1;
    public const int KindAccept = 2;
    public const int KindCancel = 3;
    public const int KindReceive = 4;
    public const int KindSend = 5;
    public const int KindShutdown = 6;
    public const int KindClose = 7;
    public const int KindOption = 8;
    public const int KindTimer = 9;

    private const int ENFILE = 23;
    private const int ECANCELED = 125;
    private const int EINVAL = 22;
    private const int EBADF = 9;
    private const uint SubmissionEntries = 1024;
    private const ushort ReceiveBuffers = 512;
    private const int ReceiveBufferBytes = 4096;

    private readonly ConcurrentQueue<UringConnection> _queue = new();
    private readonly List<UringConnection> _starved = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly Thread _thread;
    private readonly uint _capacity;
    private readonly Action<UringConnection> _accepted;
    private readonly Action<TransportConnection> _disposed;
    private readonly Action<Exception> _acceptFailed;
    private readonly ManualResetEventSlim _ready = new();
    private readonly int _wakeFd;
    private readonly byte* _wakeBuffer;
    private readonly byte* _acceptAddress;
    private readonly int* _acceptAddressLength;
    private UringConnection?[] _slots = new UringConnection?[64];
    private int _nextUnusedSlot = 1; // Slot 0 names the reactor's own operations.
    private Exception? _setupFailure;
    private UringRing? _ring;
    private int _wakePending;
    private volatile int _listener = -1;
    private volatile bool _acceptWanted;
    private volatile bool _stopping;
    private EndPoint? _localEndPoint;
    private bool _acceptArmed;
    private bool _acceptCancelled;
    private bool _tableFull;
    private bool _drained;

    /// <param name="name">The ring thread's name.</param>
    /// <param name="capacity">Direct descriptors: how many connections this ring holds at once.</param>
    /// <param name="accepted">Told of each accepted connection, on the ring's thread (it must hand the work on).</param>
    /// <param name="acceptFailed">Told of an accept that failed for a reason other than a full table.</param>
    /// <param name="disposed">The transport's handler for a connection the application has disposed, given to every connection.</param>
    public UringReactor(string name, uint capacity, Action<UringConnection> accepted, Action<Exception> acceptFailed, Action<TransportConnection> disposed)
    {
        _disposed = disposed;
        _capacity = capacity;
        _accepted = accepted;
        _acceptFailed = acceptFailed;
        _wakeFd = Libc.EventFd(0, Libc.EFD_CLOEXEC);
        if (_wakeFd < 0)
        {
            throw new IOException("eventfd failed: " + Marshal.GetPInvokeErrorMessage(Libc.Errno));
        }

        _wakeBuffer = (byte*)NativeMemory.AllocZeroed(8);
        _acceptAddress = (byte*)NativeMemory.AllocZeroed(Libc.SocketAddressBytes);
        _acceptAddressLength = (int*)NativeMemory.AllocZeroed(sizeof(int));

        // The ring is single-issuer: the thread that uses it must be the one that makes it.
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.UnsafeStart();
        _ready.Wait();
        if (_setupFailure is not null)
        {
            _thread.Join();
            FreeNative();
            throw new IOException("io_uring is not available: " + _setupFailure.Message, _setupFailure);
        }
    }

    public static ulong UserData(int slot, int kind) => ((ulong)(uint)slot << 8) | (uint)kind;

    /// <summary>Starts accepting from <paramref name="listener"/> (a listening socket's descriptor) into this ring.</summary>
    public void StartAccepting(int listener, EndPoint? localEndPoint)
    {
        _localEndPoint = localEndPoint;
        _listener = listener;
        _acceptWanted = true;
        Wake();
    }

    public void StopAccepting()
    {
        _acceptWanted = false;
        Wake();
    }

    /// <summary>From any thread: <paramref name="connection"/> has asked for something (it queues itself once).</summary>
    public void Enqueue(UringConnection connection)
    {
        _queue.Enqueue(connection);
        if (!WakeDeferral.TryDefer(this))
        {
            Wake();
        }
    }

    /// <summary>On the ring's thread: a receive found no free buffer; it is resubmitted once this batch returned some.</summary>
    public void Starved(UringConnection connection) => _starved.Add(connection);

    /// <summary>Stops the thread and closes the ring, which closes every connection still in it.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        Wake();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        FreeNative();
    }

    public void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            ulong one = 1;
            Libc.Write(_wakeFd, (byte*)&one, sizeof(ulong));
        }
    }

    private void Run()
    {
        try
        {
            _ring = new UringRing(SubmissionEntries, _capacity, ReceiveBuffers, ReceiveBufferBytes);
        }
        catch (Exception ex)
        {
            _setupFailure = ex;
            _ready.Set();
            return;
        }

        _ready.Set();
        var ring = _ring;
        try
        {
            Sqe.Read(ring.GetSqe(), _wakeFd, _wakeBuffer, 8, UserData(0, KindWake));
            while (!_stopping)
            {
                // Cleared before the queue is drained: whoever queues after this point wakes the ring again.
                Interlocked.Exchange(ref _wakePending, 0);
                while (_queue.TryDequeue(out var connection))
                {
                    connection.ProcessRequests(ring);
                }

                UpdateAccept(ring);
                ring.SubmitAndWait(1);
                while (ring.TryReap(out var userData, out var result, out var flags))
                {
                    Dispatch(ring, userData, result, flags);
                }

                ring.PublishBuffers();
                foreach (var connection in _starved)
                {
                    connection.ResumeReceive(ring);
                }

                _starved.Clear();
            }
        }
        finally
        {
            foreach (var connection in _slots)
            {
                connection?.OnRingClosed();
            }

            // The kernel may still write into receive buffers, accept addresses and the wake-up buffer until every
            // operation has completed: only then may their memory go.
            _drained = Drain(ring);
            ring.Dispose(freeBuffers: _drained);
        }
    }

    private bool Drain(UringRing ring)
    {
        const int Rounds = 40; // Each waits at most 50 ms: two seconds in all.
        var timespec = stackalloc long[2];
        timespec[1] = 50_000_000;
        // The wake-up read runs on a kernel worker (an eventfd cannot be read without blocking), which a cancel
        // does not reach: a last write ends it.
        ulong one = 1;
        Libc.Write(_wakeFd, (byte*)&one, sizeof(ulong));
        Sqe.CancelEverything(ring.GetSqe(), UserData(0, KindCancel));
        var timerRunning = false;
        for (var round = 0; round < Rounds && ring.InFlight > (timerRunning ? 1 : 0); round++)
        {
            if (!timerRunning)
            {
                Sqe.Timeout(ring.GetSqe(), timespec, UserData(0, KindTimer));
                timerRunning = true;
            }

            ring.SubmitAndWait(1);
            while (ring.TryReap(out var userData, out var result, out _))
            {
                var slot = (int)(userData >> 8);
                var kind = (int)(userData & 0xFF);
                if (slot == 0 && kind == KindTimer)
                {
                    timerRunning = false;
                }
                else if (kind == KindSend && slot < _slots.Length && _slots[slot] is { } connection)
                {
                    // A flush still waiting on its send hears that it is over; nothing is submitted again.
                    connection.Output.OnSent(result < 0 ? result : -ECANCELED);
                }
            }
        }

        // A timer still running holds no memory of ours (the kernel copied its time).
        return ring.InFlight == (timerRunning ? 1 : 0);
    }

    private void UpdateAccept(UringRing ring)
    {
        if (_acceptWanted && !_stopping && !_acceptArmed && !_tableFull && _listener >= 0)
        {
            *_acceptAddressLength = Libc.SocketAddressBytes;
            Sqe.Accept(ring.GetSqe(), _listener, _acceptAddress, _acceptAddressLength, UserData(0, KindAccept));
            _acceptArmed = true;
            _acceptCancelled = false;
        }
        else if (!_acceptWanted && _acceptArmed && !_acceptCancelled)
        {
            Sqe.Cancel(ring.GetSqe(), UserData(0, KindAccept), UserData(0, KindCancel));
            _acceptCancelled = true;
        }
    }

    private void Dispatch(UringRing ring, ulong userData, int result, uint flags)
    {
        var slot = (int)(userData >> 8);
        var kind = (int)(userData & 0xFF);
        if (slot == 0)
        {
            switch (kind)
            {
                case KindWake:
                    Sqe.Read(ring.GetSqe(), _wakeFd, _wakeBuffer, 8, UserData(0, KindWake));
                    break;
                case KindAccept:
                    OnAcceptCompleted(ring, result);
                    break;
            }

            return;
        }

        var connection = slot < _slots.Length ? _slots[slot] : null;
        if (connection is null)
        {
            // Nobody's any more: a buffer it carried still goes back to the kernel.
            if ((flags & IoUring.CqeFlagBuffer) != 0)
            {
                ring.AddBuffer((ushort)(flags >> IoUring.CqeBufferShift));
            }

            return;
        }

        if (connection.OnCompleted(ring, kind, result, flags))
        {
            Release(connection);
        }
    }

    private void OnAcceptCompleted(UringRing ring, int result)
    {
        _acceptArmed = false;
        if (result >= 0)
        {
            var peer = SocketPeer.Read(new ReadOnlySpan<byte>(_acceptAddress, Math.Min(*_acceptAddressLength, Libc.SocketAddressBytes)));
            var connection = new UringConnection(this, result, peer, _localEndPoint, _disposed);
            Adopt(connection, ring);
            return;
        }

        switch (-result)
        {
            case ENFILE:
                _tableFull = true; // Until one of this ring's connections closes.
                break;
            case ECANCELED:
                break;
            case EINVAL or EBADF:
                _acceptWanted = false; // The listener is gone.
                break;
            default:
                _acceptFailed(SocketErrors.FromErrno(-result));
                break;
        }
    }

    private void Adopt(UringConnection connection, UringRing ring)
    {
        if (!_freeSlots.TryPop(out var slot))
        {
            slot = _nextUnusedSlot++;
            if (slot == _slots.Length)
            {
                Array.Resize(ref _slots, _slots.Length * 2);
            }
        }

        _slots[slot] = connection;
        connection.Slot = slot;
        connection.Start(ring);
        _accepted(connection);
    }

    private void Release(UringConnection connection)
    {
        _slots[connection.Slot] = null;
        _freeSlots.Push(connection.Slot);
        connection.Slot = -1;
        _tableFull = false;
    }

    private void FreeNative()
    {
        Libc.Close(_wakeFd);
        if (!_drained && _ring is not null)
        {
            return; // Operations may still write here: a leak at shutdown beats a write into freed memory.
        }

        NativeMemory.Free(_wakeBuffer);
        NativeMemory.Free(_acceptAddress);
        NativeMemory.Free(_acceptAddressLength);
        _ready.Dispose();
    }
}
