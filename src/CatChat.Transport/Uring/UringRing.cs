using System.Runtime.InteropServices;
using CatChat.Transport.Native;

namespace CatChat.Transport.Uring;

/// <summary>
/// One io_uring instance: its submission and completion queues mapped into this process, a sparse table of
/// direct descriptors (sockets that live in the ring, not in the process's descriptor table, so they do not
/// count against RLIMIT_NOFILE) and a ring of provided receive buffers (a receive takes a buffer only when
/// bytes arrive, so an idle connection holds none). Single-issuer: only the thread that built it may use it.
/// </summary>
internal sealed unsafe class UringRing : IDisposable
{
    private readonly int _fd;
    private readonly byte* _rings;
    private readonly nuint _ringsLength;
    private readonly byte* _sqes;
    private readonly nuint _sqesLength;
    private readonly uint* _sqHead;
    private readonly uint* _sqTail;
    private readonly uint* _sqArray;
    private readonly uint _sqMask;
    private readonly uint _sqEntries;
    private readonly uint* _cqHead;
    private readonly uint* _cqTail;
    private readonly byte* _cqes;
    private readonly uint _cqMask;
    private readonly byte* _bufferRing;
    private readonly nuint _bufferRingLength;
    private readonly byte* _buffers;
    private readonly ushort _bufferMask;
    private uint _sqLocalTail;
    private uint _unsubmitted;
    private ushort _bufferTail;

    /// <param name="entries">Submission queue size (the completion queue is four times as big).</param>
    /// <param name="directDescriptors">Slots in the ring's descriptor table: its connection capacity.</param>
    /// <param name="bufferCount">Provided receive buffers, a power of two.</param>
    /// <param name="bufferSize">Bytes per receive buffer.</param>
    /// <param name="singleIssuer">Only the thread that built the ring submits to it; false for a ring that whichever thread holds it may use.</param>
    /// <remarks>With no direct descriptors and no buffers, the ring is only a queue for operations on ordinary descriptors.</remarks>
    public UringRing(uint entries, uint directDescriptors, ushort bufferCount, int bufferSize, bool singleIssuer = true)
    {
        var parameters = stackalloc byte[IoUring.ParamsSize];
        new Span<byte>(parameters, IoUring.ParamsSize).Clear();
        *(uint*)(parameters + IoUring.ParamsFlags) = IoUring.SetupCqSize | IoUring.SetupSubmitAll |
            (singleIssuer ? IoUring.SetupSingleIssuer | IoUring.SetupDeferTaskRun : 0);
        *(uint*)(parameters + IoUring.ParamsCqEntries) = entries * 4;
        _fd = IoUring.Setup(entries, parameters);
        if (_fd < 0)
        {
            throw Failure("io_uring_setup");
        }

        try
        {
            if ((*(uint*)(parameters + IoUring.ParamsFeatures) & IoUring.FeatureSingleMmap) == 0)
            {
                throw new IOException("io_uring: this kernel is too old (no single mmap)");
            }

            _sqEntries = *(uint*)(parameters + IoUring.ParamsSqEntries);
            var cqEntries = *(uint*)(parameters + IoUring.ParamsCqEntries);
            var sqLength = *(uint*)(parameters + IoUring.SqOffArray) + (_sqEntries * sizeof(uint));
            var cqLength = *(uint*)(parameters + IoUring.CqOffCqes) + (cqEntries * IoUring.CqeSize);
            _ringsLength = Math.Max(sqLength, cqLength);
            _rings = IoUring.MapRing(_fd, _ringsLength, IoUring.OffSqRing);
            _sqesLength = _sqEntries * IoUring.SqeSize;
            _sqes = IoUring.MapRing(_fd, _sqesLength, IoUring.OffSqes);
            if (_rings is null || _sqes is null)
            {
                throw Failure("io_uring mmap");
            }

            _sqHead = (uint*)(_rings + *(uint*)(parameters + IoUring.SqOffHead));
            _sqTail = (uint*)(_rings + *(uint*)(parameters + IoUring.SqOffTail));
            _sqMask = *(uint*)(_rings + *(uint*)(parameters + IoUring.SqOffRingMask));
            _sqArray = (uint*)(_rings + *(uint*)(parameters + IoUring.SqOffArray));
            _cqHead = (uint*)(_rings + *(uint*)(parameters + IoUring.CqOffHead));
            _cqTail = (uint*)(_rings + *(uint*)(parameters + IoUring.CqOffTail));
            _cqMask = *(uint*)(_rings + *(uint*)(parameters + IoUring.CqOffRingMask));
            _cqes = _rings + *(uint*)(parameters + IoUring.CqOffCqes);
            _sqLocalTail = *_sqTail;

            if (directDescriptors > 0)
            {
                RegisterSparseFiles(directDescriptors);
            }

            if (bufferCount == 0)
            {
                return;
            }

            _bufferRingLength = (nuint)Math.Max(4096, bufferCount * IoUring.BufEntrySize);
            _bufferRing = IoUring.MapAnonymousPages(_bufferRingLength);
            if (_bufferRing is null)
            {
                throw Failure("mmap of the receive buffer ring");
            }

            BufferSize = bufferSize;
            _bufferMask = (ushort)(bufferCount - 1);
            _buffers = (byte*)NativeMemory.AlignedAlloc((nuint)(bufferCount * bufferSize), 4096);
            RegisterBufferRing(bufferCount);
            for (var id = 0; id < bufferCount; id++)
            {
                AddBuffer((ushort)id);
            }

            PublishBuffers();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The provided-buffer group every receive selects from.</summary>
    public const ushort BufferGroup = 1;

    public int BufferSize { get; }

    /// <summary>Operations submitted (or queued) whose completion has not been reaped: each makes exactly one.</summary>
    public long InFlight { get; private set; }

    /// <summary>The next free submission entry, zeroed; false when the queue is full (submit first).</summary>
    public bool TryGetSqe(out byte* sqe)
    {
        if (_sqLocalTail - Volatile.Read(ref *_sqHead) >= _sqEntries)
        {
            sqe = null;
            return false;
        }

        var index = _sqLocalTail & _sqMask;
        sqe = _sqes + (index * IoUring.SqeSize);
        new Span<byte>(sqe, IoUring.SqeSize).Clear();
        _sqArray[index] = index;
        _sqLocalTail++;
        _unsubmitted++;
        InFlight++;
        return true;
    }

    /// <summary>A free submission entry, submitting what is queued first if the queue is full.</summary>
    public byte* GetSqe()
    {
        byte* sqe;
        while (!TryGetSqe(out sqe))
        {
            SubmitAndWait(0);
        }

        return sqe;
    }

    /// <summary>Submits everything queued and waits for at least <paramref name="minComplete"/> completions.</summary>
    public void SubmitAndWait(uint minComplete)
    {
        Volatile.Write(ref *_sqTail, _sqLocalTail);
        var toSubmit = _unsubmitted;
        while (true)
        {
            // GETEVENTS every time: with deferred task running, completions are only made while we are inside.
            var result = IoUring.Enter(_fd, toSubmit, minComplete, IoUring.EnterGetEvents);
            if (result >= 0)
            {
                _unsubmitted -= (uint)result;
                toSubmit = _unsubmitted;
                if (toSubmit == 0)
                {
                    return;
                }

                minComplete = 0;
                continue;
            }

            var errno = Libc.Errno;
            if (errno == Libc.EINTR)
            {
                continue;
            }

            // The completion queue is full: the caller reaps before anything more can be submitted.
            if (errno is Libc.EAGAIN or 16 /* EBUSY */)
            {
                return;
            }

            throw Failure("io_uring_enter", errno);
        }
    }

    /// <summary>Takes the next completion, if any: its user data, result and flags.</summary>
    public bool TryReap(out ulong userData, out int result, out uint flags)
    {
        var head = *_cqHead;
        if (head == Volatile.Read(ref *_cqTail))
        {
            userData = 0;
            result = 0;
            flags = 0;
            return false;
        }

        var cqe = _cqes + ((head & _cqMask) * IoUring.CqeSize);
        userData = *(ulong*)cqe;
        result = *(int*)(cqe + 8);
        flags = *(uint*)(cqe + 12);
        Volatile.Write(ref *_cqHead, head + 1);
        InFlight--;
        return true;
    }

    /// <summary>The bytes of provided buffer <paramref name="id"/>.</summary>
    public ReadOnlySpan<byte> Buffer(ushort id, int length) => new(_buffers + (id * BufferSize), length);

    /// <summary>Gives a provided buffer back to the kernel (visible after <see cref="PublishBuffers"/>).</summary>
    public void AddBuffer(ushort id)
    {
        var entry = _bufferRing + ((_bufferTail & _bufferMask) * IoUring.BufEntrySize);
        *(ulong*)entry = (ulong)(_buffers + (id * BufferSize));
        *(uint*)(entry + 8) = (uint)BufferSize;
        *(ushort*)(entry + 12) = id;
        _bufferTail++;
    }

    public void PublishBuffers() => Volatile.Write(ref *(ushort*)(_bufferRing + 14), _bufferTail);

    public void Dispose() => Dispose(freeBuffers: true);

    /// <summary>
    /// Closing the ring closes every direct descriptor it holds. The receive buffers are freed only when nothing is
    /// in flight any more (<paramref name="freeBuffers"/>): the kernel could otherwise still write into them.
    /// </summary>
    public void Dispose(bool freeBuffers)
    {
        if (_fd >= 0)
        {
            Libc.Close(_fd);
        }

        IoUring.Unmap(_sqes, _sqesLength);
        IoUring.Unmap(_rings, _ringsLength);
        IoUring.Unmap(_bufferRing, _bufferRingLength);
        if (_buffers is not null && freeBuffers)
        {
            NativeMemory.AlignedFree(_buffers);
        }
    }

    private static IOException Failure(string call, int? errno = null) =>
        new($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno ?? Libc.Errno)}");

    private void RegisterSparseFiles(uint count)
    {
        // struct io_uring_rsrc_register: nr, flags, resv2, data, tags.
        var registration = stackalloc byte[32];
        new Span<byte>(registration, 32).Clear();
        *(uint*)registration = count;
        *(uint*)(registration + 4) = IoUring.RsrcRegisterSparse;
        if (IoUring.Register(_fd, IoUring.RegisterFiles2, registration, 32) < 0)
        {
            throw Failure("io_uring file table registration");
        }
    }

    private void RegisterBufferRing(ushort count)
    {
        // struct io_uring_buf_reg: ring_addr, ring_entries, bgid, flags, resv[3].
        var registration = stackalloc byte[40];
        new Span<byte>(registration, 40).Clear();
        *(ulong*)registration = (ulong)_bufferRing;
        *(uint*)(registration + 8) = count;
        *(ushort*)(registration + 12) = BufferGroup;
        if (IoUring.Register(_fd, IoUring.RegisterPbufRing, registration, 1) < 0)
        {
            throw Failure("io_uring buffer ring registration");
        }
    }
}
