using System.Diagnostics;
using System.Runtime.InteropServices;
using CatChat.Transport.Native;

namespace CatChat.Bench.Wire;

/// <summary>
/// Latency taken where the bytes reached the receiving socket, not where the load generator got round to them. With
/// SO_TIMESTAMPNS on, the kernel stamps each packet as it comes off loopback (during the server's own send call) and
/// a <c>recvmsg</c> hands back the stamp of the last packet it read. A multishot <c>recvmsg</c> on io_uring writes, at
/// the start of each provided buffer, a header (<c>struct io_uring_recvmsg_out</c>), the control messages and then the
/// bytes; this reads that layout and turns the kernel's wall-clock stamp into <see cref="Stopwatch"/> ticks.
/// </summary>
internal static unsafe partial class SocketStamp
{
    /// <summary>Control space for one SCM_TIMESTAMPNS message: a 16-byte cmsghdr and a 16-byte timespec.</summary>
    public const int ControlBytes = 32;

    /// <summary>struct io_uring_recvmsg_out: name length, control length, payload length, flags.</summary>
    public const int HeaderBytes = 16;

    /// <summary>Where the received bytes start in a provided buffer (no address is asked for).</summary>
    public const int PayloadOffset = HeaderBytes + ControlBytes;

    // struct msghdr on 64-bit Linux: name, namelen, iov, iovlen, control, controllen, flags.
    public const int MessageHeaderBytes = 56;
    private const int MessageHeaderControlLength = 40;

    private const int SoTimestampNs = 35; // SO_TIMESTAMPNS_OLD, which is SCM_TIMESTAMPNS too: a 64-bit timespec here.

    private static readonly double TicksPerNanosecond = Stopwatch.Frequency / 1e9;

    /// <summary>A msghdr for every multishot recvmsg: no address, <see cref="ControlBytes"/> of control. The kernel copies it when the receive is armed.</summary>
    public static byte* NewMessageHeader()
    {
        var header = (byte*)NativeMemory.AllocZeroed(MessageHeaderBytes);
        *(ulong*)(header + MessageHeaderControlLength) = ControlBytes;
        return header;
    }

    /// <summary>Asks the kernel to stamp what this socket receives; false if it refuses.</summary>
    public static bool Enable(int fd)
    {
        var on = 1;
        return SetSocketOption(fd, Libc.SOL_SOCKET, SoTimestampNs, &on, sizeof(int)) == 0;
    }

    /// <summary>
    /// The bytes of one completion's buffer and the stamp of the last packet among them, in <see cref="Stopwatch"/>
    /// ticks by <paramref name="clock"/>; null when the kernel put none there.
    /// </summary>
    public static ReadOnlySpan<byte> Read(ReadOnlySpan<byte> buffer, in WallClock clock, out long? stampedAt)
    {
        stampedAt = null;
        if (buffer.Length < PayloadOffset)
        {
            return default;
        }

        var controlLength = (int)Math.Min(MemoryMarshal.Read<uint>(buffer[4..]), ControlBytes);
        var payloadLength = (int)Math.Min(MemoryMarshal.Read<uint>(buffer[8..]), (uint)(buffer.Length - PayloadOffset));
        var control = buffer.Slice(HeaderBytes, controlLength);
        while (control.Length >= 16)
        {
            var length = (int)Math.Min(MemoryMarshal.Read<ulong>(control), (ulong)control.Length);
            if (length < 16)
            {
                break;
            }

            var level = MemoryMarshal.Read<int>(control[8..]);
            var type = MemoryMarshal.Read<int>(control[12..]);
            if (level == Libc.SOL_SOCKET && type == SoTimestampNs && length >= 32)
            {
                var seconds = MemoryMarshal.Read<long>(control[16..]);
                var nanoseconds = MemoryMarshal.Read<long>(control[24..]);
                stampedAt = clock.ToStopwatch((seconds * 1_000_000_000) + nanoseconds);
            }

            // Each message is padded to 8 bytes, except that the last one's padding may lie past the space given.
            control = control[Math.Min((length + 7) & ~7, control.Length)..];
        }

        return buffer.Slice(PayloadOffset, payloadLength);
    }

    [LibraryImport("libc", EntryPoint = "setsockopt")]
    private static partial int SetSocketOption(int fd, int level, int name, int* value, int length);

    /// <summary>A pairing of the wall clock (which the kernel stamps with) and the <see cref="Stopwatch"/> (which senders stamp with).</summary>
    public readonly struct WallClock
    {
        private readonly long _stopwatchTicks;
        private readonly long _unixNanoseconds;

        private WallClock(long stopwatchTicks, long unixNanoseconds)
        {
            _stopwatchTicks = stopwatchTicks;
            _unixNanoseconds = unixNanoseconds;
        }

        /// <summary>Reads both clocks now. Taken again every second or so, it follows any slewing of the wall clock.</summary>
        public static WallClock Now()
        {
            var before = Stopwatch.GetTimestamp();
            var unix = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
            var after = Stopwatch.GetTimestamp();
            return new WallClock(before + ((after - before) / 2), unix);
        }

        public long ToStopwatch(long unixNanoseconds) =>
            _stopwatchTicks + (long)((unixNanoseconds - _unixNanoseconds) * TicksPerNanosecond);
    }
}
