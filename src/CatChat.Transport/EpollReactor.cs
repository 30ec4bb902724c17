using System.Runtime.InteropServices;
using CatChat.Transport.Native;

namespace CatChat.Transport;

/// <summary>
/// The talk's reactor, at the level Twisted's own epoll reactor works: one thread waits in <c>epoll_wait</c>
/// for every socket and tells each registered handler what became ready. Descriptors are registered once,
/// edge-triggered, for input and output; an idle connection costs the kernel its registration and this
/// reactor one slot, with no pending operation or buffer. Handlers hand real work to the thread pool.
/// </summary>
internal sealed unsafe class EpollReactor : IDisposable
{
    private const int MaxEventsPerWait = 256;
    private const int ChunkBits = 10;
    private const int ChunkSize = 1 << ChunkBits;

    // epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes).
    private static readonly int s_eventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int s_dataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private readonly Lock _slotsGate = new();
    private readonly int _epoll;
    private readonly int _wakeup;
    private readonly Thread _thread;
    private readonly Action<Exception> _handlerFailed;
    // Slots live in chunks that never move, so the reactor thread reads them without the lock; only the
    // directory of chunks is replaced when it grows, and every copy points at the same chunks.
    private Slot[][] _chunks = [new Slot[ChunkSize]];
    private int[] _freeSlots = new int[64];
    private int _freeCount;
    private int _nextUnused = 1; // Slot 0 is the wakeup eventfd.
    private volatile bool _stopping;

    /// <param name="name">The reactor thread's name.</param>
    /// <param name="handlerFailed">Told of a handler that threw, so one broken connection cannot stop the loop.</param>
    public EpollReactor(string name, Action<Exception> handlerFailed)
    {
        _handlerFailed = handlerFailed;
        _epoll = Libc.EpollCreate(Libc.EPOLL_CLOEXEC);
        if (_epoll < 0)
        {
            throw new IOException("epoll_create1 failed: " + Marshal.GetPInvokeErrorMessage(Libc.Errno));
        }

        _wakeup = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (_wakeup < 0 || !TryAdd(_wakeup, Libc.EPOLLIN, 0))
        {
            var error = Libc.Errno;
            Libc.Close(_epoll);
            throw new IOException("eventfd failed: " + Marshal.GetPInvokeErrorMessage(error));
        }

        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.UnsafeStart();
    }

    /// <summary>
    /// Watches <paramref name="fd"/> for input and output (edge-triggered) and returns its registration, to be
    /// given back to <see cref="Unregister"/> once the descriptor is closed. Throws when the kernel refuses.
    /// </summary>
    public ulong Register(int fd, IReadinessHandler handler, uint events = Libc.EPOLLIN | Libc.EPOLLOUT | Libc.EPOLLRDHUP)
    {
        ulong token;
        lock (_slotsGate)
        {
            var index = _freeCount > 0 ? _freeSlots[--_freeCount] : _nextUnused++;
            if (index >> ChunkBits == _chunks.Length)
            {
                var grown = new Slot[_chunks.Length + 1][];
                Array.Copy(_chunks, grown, _chunks.Length);
                grown[^1] = new Slot[ChunkSize];
                Volatile.Write(ref _chunks, grown);
            }

            ref var slot = ref SlotAt(_chunks, index);
            token = ((ulong)++slot.Generation << 32) | (uint)index;

            // The handler last: the reactor trusts a generation only once it sees the handler.
            Volatile.Write(ref slot.Handler, handler);
        }

        if (!TryAdd(fd, events | Libc.EPOLLET, token))
        {
            var error = Libc.Errno;
            Unregister(token);
            throw new IOException("epoll_ctl failed: " + Marshal.GetPInvokeErrorMessage(error));
        }

        return token;
    }

    /// <summary>Frees a registration's slot. Events still in flight for it are recognised as stale and dropped.</summary>
    public void Unregister(ulong token)
    {
        var index = (int)(uint)token;
        lock (_slotsGate)
        {
            ref var slot = ref SlotAt(_chunks, index);
            if (slot.Handler is null || slot.Generation != (uint)(token >> 32))
            {
                return;
            }

            Volatile.Write(ref slot.Handler, null);
            if (_freeCount == _freeSlots.Length)
            {
                Array.Resize(ref _freeSlots, _freeSlots.Length * 2);
            }

            _freeSlots[_freeCount++] = index;
        }
    }

    /// <summary>Stops the reactor's thread. Registered descriptors are their owners' to close.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        ulong one = 1;
        Libc.Write(_wakeup, (byte*)&one, sizeof(ulong));
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        Libc.Close(_wakeup);
        Libc.Close(_epoll);
    }

    private bool TryAdd(int fd, uint events, ulong token)
    {
        var entry = stackalloc byte[16];
        *(uint*)entry = events;
        *(ulong*)(entry + s_dataOffset) = token;
        return Libc.EpollCtl(_epoll, Libc.EPOLL_CTL_ADD, fd, entry) == 0;
    }

    private void Run()
    {
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEventsPerWait * s_eventSize));
        try
        {
            while (!_stopping)
            {
                var count = Libc.EpollWait(_epoll, events, MaxEventsPerWait, -1);
                if (count < 0)
                {
                    if (Libc.Errno == Libc.EINTR)
                    {
                        continue;
                    }

                    throw new IOException("epoll_wait failed: " + Marshal.GetPInvokeErrorMessage(Libc.Errno));
                }

                for (var i = 0; i < count; i++)
                {
                    var entry = events + (i * s_eventSize);
                    var token = *(ulong*)(entry + s_dataOffset);
                    if ((uint)token != 0)
                    {
                        Dispatch(token, *(uint*)entry);
                    }

                    // Slot 0 is the wakeup: the loop condition sees _stopping.
                }
            }
        }
        finally
        {
            NativeMemory.Free(events);
        }
    }

    private static ref Slot SlotAt(Slot[][] chunks, int index) => ref chunks[index >> ChunkBits][index & (ChunkSize - 1)];

    private void Dispatch(ulong token, uint ready)
    {
        ref var slot = ref SlotAt(Volatile.Read(ref _chunks), (int)(uint)token);
        var handler = Volatile.Read(ref slot.Handler);

        // Another generation: the slot was freed (and maybe reused) after this event was queued.
        if (handler is null || slot.Generation != (uint)(token >> 32))
        {
            return;
        }

        try
        {
            handler.OnReady(ready);
        }
        catch (Exception ex)
        {
            _handlerFailed(ex);
        }
    }

    private struct Slot
    {
        public IReadinessHandler? Handler;
        public uint Generation;
    }
}
