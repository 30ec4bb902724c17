using CatChat.Transport.Native;

namespace CatChat.Transport.Uring;

/// <summary>
/// Fills a zeroed submission entry (struct io_uring_sqe, 64 bytes) for each operation the transport makes.
/// Field offsets: opcode 0, flags 1, fd 4, off/addr2/cmd_op 8, addr/level 16, len 24, op flags 28,
/// user_data 32, buf_group 40, file_index/optlen 44, addr3/optval 48.
/// </summary>
internal static unsafe class Sqe
{
    public static void Accept(byte* sqe, int listener, byte* address, int* addressLength, ulong userData)
    {
        sqe[0] = IoUring.OpAccept;
        *(int*)(sqe + 4) = listener;
        *(ulong*)(sqe + 8) = (ulong)addressLength;
        *(ulong*)(sqe + 16) = (ulong)address;
        *(uint*)(sqe + 44) = IoUring.FileIndexAlloc;
        *(ulong*)(sqe + 32) = userData;
    }

    /// <summary>A receive into whichever provided buffer is free when bytes arrive.</summary>
    public static void Receive(byte* sqe, int directDescriptor, ulong userData)
    {
        sqe[0] = IoUring.OpRecv;
        sqe[1] = IoUring.SqeFixedFile | IoUring.SqeBufferSelect;
        *(int*)(sqe + 4) = directDescriptor;
        *(ushort*)(sqe + 40) = UringRing.BufferGroup;
        *(ulong*)(sqe + 32) = userData;
    }

    public static void Send(byte* sqe, int directDescriptor, byte* bytes, int length, ulong userData)
    {
        sqe[0] = IoUring.OpSend;
        sqe[1] = IoUring.SqeFixedFile;
        *(int*)(sqe + 4) = directDescriptor;
        *(ulong*)(sqe + 16) = (ulong)bytes;
        *(uint*)(sqe + 24) = (uint)length;
        *(uint*)(sqe + 28) = Libc.MSG_NOSIGNAL;
        *(ulong*)(sqe + 32) = userData;
    }

    /// <summary>
    /// A send on an ordinary descriptor that never waits in the ring: with MSG_DONTWAIT a full socket buffer completes it
    /// at once with EAGAIN (or a short count), so it always completes within the submitting call.
    /// </summary>
    public static void SendWithoutWaiting(byte* sqe, int fd, byte* bytes, int length, ulong userData)
    {
        sqe[0] = IoUring.OpSend;
        *(int*)(sqe + 4) = fd;
        *(ulong*)(sqe + 16) = (ulong)bytes;
        *(uint*)(sqe + 24) = (uint)length;
        *(uint*)(sqe + 28) = Libc.MSG_NOSIGNAL | Libc.MSG_DONTWAIT;
        *(ulong*)(sqe + 32) = userData;
    }

    /// <summary>A shutdown hard-linked to what follows, so the close runs even when the shutdown fails.</summary>
    public static void ShutdownThen(byte* sqe, int directDescriptor, ulong userData)
    {
        sqe[0] = IoUring.OpShutdown;
        sqe[1] = IoUring.SqeFixedFile | IoUring.SqeHardLink;
        *(int*)(sqe + 4) = directDescriptor;
        *(uint*)(sqe + 24) = Libc.SHUT_RDWR;
        *(ulong*)(sqe + 32) = userData;
    }

    public static void CloseDirect(byte* sqe, int directDescriptor, ulong userData)
    {
        sqe[0] = IoUring.OpClose;
        *(uint*)(sqe + 44) = (uint)directDescriptor + 1;
        *(ulong*)(sqe + 32) = userData;
    }

    public static void SetSocketOption(byte* sqe, int directDescriptor, int level, int name, int* value, ulong userData)
    {
        sqe[0] = IoUring.OpUringCmd;
        sqe[1] = IoUring.SqeFixedFile;
        *(int*)(sqe + 4) = directDescriptor;
        *(uint*)(sqe + 8) = IoUring.SocketCmdSetSockOpt;
        *(uint*)(sqe + 16) = (uint)level;
        *(uint*)(sqe + 20) = (uint)name;
        *(uint*)(sqe + 44) = sizeof(int);
        *(ulong*)(sqe + 48) = (ulong)value;
        *(ulong*)(sqe + 32) = userData;
    }

    /// <summary>A read of an ordinary descriptor (the wake-up eventfd) at its current position.</summary>
    public static void Read(byte* sqe, int fd, byte* buffer, int length, ulong userData)
    {
        sqe[0] = IoUring.OpRead;
        *(int*)(sqe + 4) = fd;
        *(ulong*)(sqe + 8) = ulong.MaxValue;
        *(ulong*)(sqe + 16) = (ulong)buffer;
        *(uint*)(sqe + 24) = (uint)length;
        *(ulong*)(sqe + 32) = userData;
    }

    public static void Cancel(byte* sqe, ulong target, ulong userData)
    {
        sqe[0] = IoUring.OpAsyncCancel;
        *(ulong*)(sqe + 16) = target;
        *(ulong*)(sqe + 32) = userData;
    }

    /// <summary>Cancels every operation in flight on the ring.</summary>
    public static void CancelEverything(byte* sqe, ulong userData)
    {
        sqe[0] = IoUring.OpAsyncCancel;
        *(uint*)(sqe + 28) = IoUring.CancelAll | IoUring.CancelAny;
        *(ulong*)(sqe + 32) = userData;
    }

    /// <summary>Completes after the time in <paramref name="timespec"/> (struct __kernel_timespec), so a wait ends.</summary>
    public static void Timeout(byte* sqe, long* timespec, ulong userData)
    {
        sqe[0] = IoUring.OpTimeout;
        *(int*)(sqe + 4) = -1;
        *(ulong*)(sqe + 16) = (ulong)timespec;
        *(uint*)(sqe + 24) = 1;
        *(ulong*)(sqe + 32) = userData;
    }
}
