using System.Runtime.InteropServices;

namespace CatChat.Transport.Native;

/// <summary>
/// The io_uring ABI, as far as the transport's rings use it: the three system calls, the offsets of the
/// structures the kernel shares with us, and the opcodes and flags (linux/io_uring.h). Raw calls rather than
/// liburing, so nothing but libc has to be installed.
/// </summary>
internal static unsafe partial class IoUring
{
    // The same numbers on every architecture: io_uring came after the syscall tables were unified.
    private const long SysSetup = 425;
    private const long SysEnter = 426;
    private const long SysRegister = 427;

    public const uint SetupCqSize = 1u << 3;
    public const uint SetupSubmitAll = 1u << 7;
    public const uint SetupSingleIssuer = 1u << 12;
    public const uint SetupDeferTaskRun = 1u << 13;

    public const uint FeatureSingleMmap = 1u << 0;

    public const uint EnterGetEvents = 1u << 0;

    public const uint RegisterFiles2 = 13;
    public const uint RegisterPbufRing = 22;
    public const uint RsrcRegisterSparse = 1u << 0;

    public const byte OpRead = 22;
    public const byte OpSend = 26;
    public const byte OpRecv = 27;
    public const byte OpTimeout = 11;
    public const byte OpAccept = 13;
    public const byte OpAsyncCancel = 14;
    public const byte OpClose = 19;
    public const byte OpShutdown = 34;
    public const byte OpUringCmd = 46;

    public const byte SqeFixedFile = 1 << 0;
    public const byte SqeHardLink = 1 << 3;
    public const byte SqeBufferSelect = 1 << 5;

    public const uint CqeFlagBuffer = 1u << 0;
    public const int CqeBufferShift = 16;

    /// <summary>Accept into a direct descriptor the kernel picks.</summary>
    public const uint FileIndexAlloc = uint.MaxValue;

    public const uint SocketCmdSetSockOpt = 3;

    public const uint CancelAll = 1u << 0;
    public const uint CancelAny = 1u << 2;

    public const long OffSqRing = 0;
    public const long OffCqRing = 0x8000000;
    public const long OffSqes = 0x10000000;

    public const int SqeSize = 64;
    public const int CqeSize = 16;
    public const int BufEntrySize = 16;

    /// <summary>struct io_uring_params: 120 bytes, read through these offsets.</summary>
    public const int ParamsSize = 120;
    public const int ParamsSqEntries = 0;
    public const int ParamsCqEntries = 4;
    public const int ParamsFlags = 8;
    public const int ParamsFeatures = 20;
    public const int SqOffHead = 40;
    public const int SqOffTail = 44;
    public const int SqOffRingMask = 48;
    public const int SqOffRingEntries = 52;
    public const int SqOffArray = 64;
    public const int CqOffHead = 80;
    public const int CqOffTail = 84;
    public const int CqOffRingMask = 88;
    public const int CqOffRingEntries = 92;
    public const int CqOffCqes = 100;

    private const int ProtReadWrite = 0x1 | 0x2;
    private const int MapShared = 0x01;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;
    private const int MapPopulate = 0x8000;

    public static int Setup(uint entries, byte* parameters) => (int)Syscall(SysSetup, entries, (long)parameters, 0, 0, 0, 0);

    public static int Enter(int ring, uint toSubmit, uint minComplete, uint flags) =>
        (int)Syscall(SysEnter, ring, toSubmit, minComplete, flags, 0, 0);

    public static int Register(int ring, uint opcode, void* argument, uint count) =>
        (int)Syscall(SysRegister, ring, opcode, (long)argument, count, 0, 0);

    /// <summary>Maps one of the ring's shared regions; null on failure.</summary>
    public static byte* MapRing(int ring, nuint length, long offset)
    {
        var address = Mmap(0, length, ProtReadWrite, MapShared | MapPopulate, ring, offset);
        return address == -1 ? null : (byte*)address;
    }

    /// <summary>Page-aligned zeroed memory, as a provided-buffer ring needs; null on failure.</summary>
    public static byte* MapAnonymousPages(nuint length)
    {
        var address = Mmap(0, length, ProtReadWrite, MapPrivate | MapAnonymous, -1, 0);
        return address == -1 ? null : (byte*)address;
    }

    public static void Unmap(void* address, nuint length)
    {
        if (address is not null)
        {
            _ = Munmap((nint)address, length);
        }
    }

    // syscall(2) is variadic in C, but glibc's implementation only moves integer registers, so a fixed
    // six-argument signature is a correct call on x86-64 and arm64.
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long a, long b, long c, long d, long e, long f);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(nint address, nuint length);
}
