using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CatChat.Transport.Native;
using CatChat.Transport.Uring;

namespace CatChat.Bench.Wire;

/// <summary>
/// The load generator's receive engine: one io_uring and one thread that receive for many connections at once. Each
/// connection has one multishot recvmsg armed, which takes a provided buffer whenever bytes arrive (with the kernel's
/// stamp of their arrival, <see cref="SocketStamp"/>), so one io_uring_enter brings in a whole fan-out (a thousand
/// deliveries) where <c>Socket.ReceiveAsync</c> costs an epoll event, a recv call and a thread-pool hop for each (about
/// 8.6 µs of the load generator per delivery, measured on a paravirtualised guest where every system call is dear). Connections are added from any thread (<see cref="TryAdd"/>)
/// and wake the thread through an eventfd the ring always has a read outstanding on; every other use of the ring is the
/// thread's own, as its single-issuer setup requires.
/// </summary>
/// <remarks>
/// A multishot receive holds a reference to the socket's file: disposing the <see cref="Socket"/> alone does not end
/// the connection while one is armed. Shut the socket down first; the receive then ends with the end of the stream.
/// </remarks>
internal sealed unsafe class UringReceiver : IDisposable
{
    /// <summary>Set to 0 to receive with <c>Socket.ReceiveAsync</c> (the fallback) even where io_uring works.</summary>
    public const string Switch = "CATCHAT_BENCH_URING";

    // Up to 4 x 4,096 completions per io_uring_enter: one per connection with bytes waiting, at 10,000 connections too.
    private const uint SubmissionEntries = 4096;

    // 16 MiB of receive buffers. Large ones: every receive costs the kernel a recv and an ACK, so the fewer the better
    // (closed loop, 4,000-byte messages to 1,000 clients: 0.42 M deliveries/s with 2 KiB buffers, 1.2-1.3 M with 16 KiB).
    // Not many: a buffer is held only until its completion is handled, and when a batch (a fan-out to 10,000 clients)
    // wants more than there are, the receives left without one end with ENOBUFS and are re-armed once this batch has
    // given its buffers back; with 4,096 buffers instead of 1,024 the figures were the same, at N = 10,000 too.
    private const ushort BufferCount = 1024;
    private const int BufferBytes = 16384;

    // linux/io_uring.h: IORING_RECV_MULTISHOT goes in the SQE's ioprio field (offset 2); IORING_CQE_F_MORE says more
    // completions of the same request follow.
    private const ushort RecvMultishot = 1 << 1;
    private const byte OpRecvMsg = 10;
    private const uint CqeFlagMore = 1u << 1;

    private const ulong WakeData = ulong.MaxValue;
    private const ulong CancelData = ulong.MaxValue - 1;
    private const ulong TimerData = ulong.MaxValue - 2;

    private static readonly Lazy<UringReceiver?> SharedInstance = new(CreateShared);
    private static string? s_unavailable;

    private readonly Lock _gate = new();
    private readonly Queue<(IReceiveTarget Target, SafeSocketHandle Handle)> _added = new();
    private readonly Stack<int> _freeSlots = new();
    private readonly List<int> _rearm = [];
    private readonly List<SafeSocketHandle> _referenced = [];
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _ready = new();
    private readonly int _wakeFd;
    private readonly byte* _wakeBuffer;
    private readonly byte* _messageHeader;
    private SocketStamp.WallClock _clock = SocketStamp.WallClock.Now();
    private long _clockTakenAt = Stopwatch.GetTimestamp();
    private long _stampedReceives;
    private long _unstampedReceives;
    private Entry[] _entries = new Entry[1024];
    private int _nextUnusedSlot;
    private Exception? _setupFailure;
    private int _wakePending;
    private volatile bool _stopping;
    private long _pending; // operations whose last completion (the one without F_MORE) has not come
    private bool _drained;
    private bool _ringMade;

    /// <param name="name">The receive thread's name.</param>
    /// <exception cref="IOException">io_uring (or an eventfd) is not available.</exception>
    public UringReceiver(string name)
    {
        _wakeFd = Libc.EventFd(0, Libc.EFD_CLOEXEC);
        if (_wakeFd < 0)
        {
            throw new IOException("eventfd failed: " + Marshal.GetPInvokeErrorMessage(Libc.Errno));
        }

        _wakeBuffer = (byte*)NativeMemory.AllocZeroed(8);
        _messageHeader = SocketStamp.NewMessageHeader();

        // Single-issuer: the ring is made by the thread that uses it. A thread inherits its creator's CPU mask, so
        // once the load generator has pinned itself this one runs on the load generator's CPU too.
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

    /// <summary>Receives that came with the kernel's stamp of their arrival at the socket, so far.</summary>
    public long StampedReceives => Volatile.Read(ref _stampedReceives);

    /// <summary>Receives without it (timed as they were read instead), so far.</summary>
    public long UnstampedReceives => Volatile.Read(ref _unstampedReceives);

    /// <summary>The load generator's one receiver, made on first use; null where io_uring is not available (or switched off).</summary>
    public static UringReceiver? Shared => SharedInstance.Value;

    /// <summary>Why <see cref="Shared"/> is null; null while it is not.</summary>
    public static string? Unavailable => Shared is null ? s_unavailable : null;

    /// <summary>
    /// From any thread: receives for <paramref name="target"/> from the connected socket <paramref name="handle"/> from now
    /// on, until the stream ends or the target fails. False once this receiver has stopped.
    /// </summary>
    public bool TryAdd(IReceiveTarget target, SafeSocketHandle handle)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return false;
            }

            // Held until the receive is submitted: a socket disposed meanwhile keeps its descriptor, so the number
            // cannot be given to another connection before the kernel has taken the file.
            var added = false;
            handle.DangerousAddRef(ref added);
            _added.Enqueue((target, handle));

            // Inside the lock: the eventfd stays open until the thread has seen the stop, which comes after this.
            Wake();
        }

        return true;
    }

    /// <summary>Stops the thread: every connection still receiving is told its receive ended; then the ring is closed.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            Wake();
        }

        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        FreeNative();
    }

    private static UringReceiver? CreateShared()
    {
        if (!OperatingSystem.IsLinux())
        {
            s_unavailable = "not Linux";
            return null;
        }

        if (Environment.GetEnvironmentVariable(Switch) == "0")
        {
            s_unavailable = Switch + "=0";
            return null;
        }

        try
        {
            return new UringReceiver("uring-receive");
        }
        catch (IOException ex)
        {
            s_unavailable = ex.Message;
            return null;
        }
    }

    /// <summary>
    /// A multishot recvmsg into provided buffers on an ordinary descriptor (the bench's own SQE: CatChat's are for
    /// direct descriptors): each buffer then starts with the header and control space <see cref="SocketStamp"/> reads.
    /// </summary>
    private void MultishotReceiveMessage(byte* sqe, int fd, ulong userData)
    {
        sqe[0] = OpRecvMsg;
        sqe[1] = IoUring.SqeBufferSelect;
        *(ushort*)(sqe + 2) = RecvMultishot;
        *(int*)(sqe + 4) = fd;
        *(ulong*)(sqe + 16) = (ulong)_messageHeader;
        *(uint*)(sqe + 24) = 1;
        *(ulong*)(sqe + 32) = userData;
        *(ushort*)(sqe + 40) = UringRing.BufferGroup;
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            ulong one = 1;
            Libc.Write(_wakeFd, (byte*)&one, sizeof(ulong));
        }
    }

    private void Run()
    {
        UringRing ring;
        try
        {
            ring = new UringRing(SubmissionEntries, directDescriptors: 0, BufferCount, BufferBytes, singleIssuer: true);
        }
        catch (Exception ex)
        {
            _setupFailure = ex;
            _ready.Set();
            return;
        }

        _ringMade = true;
        _ready.Set();
        string? stopped = null;
        try
        {
            ArmWake(ring);
            while (!_stopping)
            {
                // Cleared before the queue is read: whoever adds after this point wakes the ring again.
                Interlocked.Exchange(ref _wakePending, 0);
                ArmAdded(ring);
                foreach (var slot in _rearm)
                {
                    Rearm(ring, slot);
                }

                _rearm.Clear();
                if (_referenced.Count > 0)
                {
                    // Submitted: the kernel holds the files now, the descriptors may go.
                    ring.SubmitAndWait(0);
                    ReleaseReferences();
                }

                ring.SubmitAndWait(1);
                while (ring.TryReap(out var userData, out var result, out var flags))
                {
                    Complete(ring, userData, result, flags);
                }

                ring.PublishBuffers();
                if (Stopwatch.GetElapsedTime(_clockTakenAt) > TimeSpan.FromSeconds(1))
                {
                    _clock = SocketStamp.WallClock.Now();
                    _clockTakenAt = Stopwatch.GetTimestamp();
                }
            }

            stopped = "the load generator's receive engine stopped";
        }
        catch (Exception ex)
        {
            stopped = "the load generator's receive engine failed: " + ex.Message;
        }
        finally
        {
            lock (_gate)
            {
                _stopping = true; // After a failure too: nothing may be added any more.
            }

            ReleaseReferences();
            while (_added.TryDequeue(out var added))
            {
                added.Handle.DangerousRelease();
                added.Target.OnReceiveEnded(stopped);
            }

            for (var slot = 0; slot < _nextUnusedSlot; slot++)
            {
                if (_entries[slot].Target is not null)
                {
                    End(slot, stopped);
                }
            }

            // The kernel may write into the receive buffers and the wake-up buffer until every operation has ended.
            _drained = Drain(ring);
            ring.Dispose(freeBuffers: _drained);
        }
    }

    private void ArmWake(UringRing ring)
    {
        Sqe.Read(ring.GetSqe(), _wakeFd, _wakeBuffer, sizeof(ulong), WakeData);
        _pending++;
    }

    private void ArmAdded(UringRing ring)
    {
        while (true)
        {
            (IReceiveTarget Target, SafeSocketHandle Handle) added;
            lock (_gate)
            {
                if (!_added.TryDequeue(out added))
                {
                    return;
                }
            }

            if (!_freeSlots.TryPop(out var slot))
            {
                slot = _nextUnusedSlot++;
                if (slot == _entries.Length)
                {
                    Array.Resize(ref _entries, _entries.Length * 2);
                }
            }

            _entries[slot] = new Entry { Target = added.Target, Handle = added.Handle };
            SocketStamp.Enable((int)added.Handle.DangerousGetHandle()); // Held by TryAdd's reference; refused: read times.
            Arm(ring, slot); // With the reference TryAdd took.
        }
    }

    // A receive that ended without the stream ending (no buffer was free, or the kernel stopped it) starts again.
    private void Rearm(UringRing ring, int slot)
    {
        ref var entry = ref _entries[slot];
        var added = false;
        try
        {
            entry.Handle!.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            End(slot, null); // The socket was disposed: its descriptor may already be another's.
            return;
        }

        Arm(ring, slot);
    }

    // The caller holds a reference on the slot's handle; it is released once the receive has been submitted.
    private void Arm(UringRing ring, int slot)
    {
        var handle = _entries[slot].Handle!;
        MultishotReceiveMessage(ring.GetSqe(), (int)handle.DangerousGetHandle(), (ulong)slot);
        _pending++;
        _referenced.Add(handle);
    }

    private void ReleaseReferences()
    {
        foreach (var handle in _referenced)
        {
            handle.DangerousRelease();
        }

        _referenced.Clear();
    }

    private void Complete(UringRing ring, ulong userData, int result, uint flags)
    {
        var last = (flags & CqeFlagMore) == 0;
        if (last)
        {
            _pending--;
        }

        if (userData >= TimerData)
        {
            if (userData == WakeData && !_stopping)
            {
                ArmWake(ring);
            }

            return;
        }

        var slot = (int)userData;
        ref var entry = ref _entries[slot];
        var received = result;
        if ((flags & IoUring.CqeFlagBuffer) != 0)
        {
            var id = (ushort)(flags >> IoUring.CqeBufferShift);
            if (result > 0)
            {
                // The last completion at the end of the stream has a buffer too, with no bytes after its header.
                var bytes = SocketStamp.Read(ring.Buffer(id, result), _clock, out var stampedAt);
                received = bytes.Length;
                if (received > 0 && entry.Target is { } target && entry.Failure is null)
                {
                    Deliver(ring, slot, ref entry, target, bytes, stampedAt);
                }
            }

            ring.AddBuffer(id);
        }

        if (!last || entry.Target is null)
        {
            return;
        }

        if (entry.Failure is not null)
        {
            End(slot, entry.Failure);
        }
        else if (received > 0 || result == -Libc.ENOBUFS)
        {
            _rearm.Add(slot); // After this batch has given its buffers back.
        }
        else
        {
            End(slot, received >= 0 ? null : Marshal.GetPInvokeErrorMessage(-result));
        }
    }

    private void Deliver(UringRing ring, int slot, ref Entry entry, IReceiveTarget target, ReadOnlySpan<byte> data, long? stampedAt)
    {
        // Latency ends where the bytes reached the socket (the kernel's stamp of the last packet read, so messages
        // that came earlier in the same read count a little late, never early); the load generator's own delay in
        // getting to them is passed on separately. Without a stamp, both are the time of reading.
        var readAt = Stopwatch.GetTimestamp();
        if (stampedAt is null)
        {
            _unstampedReceives++;
        }
        else
        {
            _stampedReceives++;
        }

        bool keep;
        try
        {
            keep = target.OnReceived(data, Math.Min(stampedAt ?? readAt, readAt), readAt);
        }
        catch (Exception ex)
        {
            entry.Failure = "receive failed: " + ex.Message;
            keep = false;
        }

        if (!keep)
        {
            entry.Failure ??= "stopped receiving";
            Sqe.Cancel(ring.GetSqe(), (ulong)slot, CancelData);
            _pending++;
        }
    }

    private void End(int slot, string? failure)
    {
        var target = _entries[slot].Target;
        _entries[slot] = default;
        _freeSlots.Push(slot);
        target?.OnReceiveEnded(failure);
    }

    private bool Drain(UringRing ring)
    {
        const int Rounds = 40; // Each waits at most 50 ms: two seconds in all.
        var timespec = stackalloc long[2];
        timespec[1] = 50_000_000;

        // The wake-up read may be on a kernel worker, which a cancel does not reach: a last write ends it.
        ulong one = 1;
        Libc.Write(_wakeFd, (byte*)&one, sizeof(ulong));
        Sqe.CancelEverything(ring.GetSqe(), CancelData);
        _pending++;
        var timerRunning = false;
        for (var round = 0; round < Rounds && _pending > (timerRunning ? 1 : 0); round++)
        {
            if (!timerRunning)
            {
                Sqe.Timeout(ring.GetSqe(), timespec, TimerData);
                _pending++;
                timerRunning = true;
            }

            ring.SubmitAndWait(1);
            while (ring.TryReap(out var userData, out _, out var flags))
            {
                if ((flags & CqeFlagMore) == 0)
                {
                    _pending--;
                    timerRunning &= userData != TimerData;
                }
            }
        }

        // A timer still running holds no memory of ours (the kernel copied its time).
        return _pending == (timerRunning ? 1 : 0);
    }

    private void FreeNative()
    {
        Libc.Close(_wakeFd);
        if (!_drained && _ringMade)
        {
            return; // Operations may still write here: a leak at shutdown beats a write into freed memory.
        }

        NativeMemory.Free(_wakeBuffer);
        NativeMemory.Free(_messageHeader);
        _ready.Dispose();
    }

    private struct Entry
    {
        public IReceiveTarget? Target;
        public SafeSocketHandle? Handle;

        /// <summary>Set when the target stopped receiving: its receive is being cancelled, and this is what it is told at the end.</summary>
        public string? Failure;
    }
}
