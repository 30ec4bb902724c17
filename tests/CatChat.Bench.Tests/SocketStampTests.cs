using System.Buffers.Binary;
using System.Diagnostics;
using CatChat.Bench.Wire;

namespace CatChat.Bench.Tests;

/// <summary>
/// The layout a multishot recvmsg leaves in each provided buffer (header, control messages, bytes), read by
/// <see cref="SocketStamp.Read"/>, built here by hand as the kernel writes it.
/// </summary>
public sealed class SocketStampTests
{
    [Fact]
    public void TheBytesFollowTheControlSpaceAndTheStampBecomesStopwatchTime()
    {
        var clock = SocketStamp.WallClock.Now();
        var now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        var stamp = now - 2_000_000; // 2 ms ago
        var buffer = Completion("hello"u8, stamp);

        var bytes = SocketStamp.Read(buffer, clock, out var stampedAt);

        Assert.Equal("hello"u8.ToArray(), bytes.ToArray());
        Assert.NotNull(stampedAt);
        var ago = Stopwatch.GetElapsedTime(stampedAt.Value);
        Assert.InRange(ago.TotalMilliseconds, 1.5, 1_000);
    }

    [Fact]
    public void WithoutAStampTheBytesStillCome()
    {
        var buffer = Completion("hello"u8, stampUnixNanoseconds: null);

        var bytes = SocketStamp.Read(buffer, SocketStamp.WallClock.Now(), out var stampedAt);

        Assert.Equal("hello"u8.ToArray(), bytes.ToArray());
        Assert.Null(stampedAt);
    }

    [Fact]
    public void TheEndOfTheStreamIsAHeaderWithNoBytes()
    {
        var buffer = Completion([], stampUnixNanoseconds: null);

        Assert.True(SocketStamp.Read(buffer, SocketStamp.WallClock.Now(), out _).IsEmpty);
    }

    [Fact]
    public void APayloadLengthPastTheBufferIsCutToTheBuffer()
    {
        var buffer = Completion("hello"u8, stampUnixNanoseconds: null);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(8), 10_000);

        Assert.Equal(5, SocketStamp.Read(buffer, SocketStamp.WallClock.Now(), out _).Length);
    }

    [Fact]
    public void AControlMessageWhosePaddingRunsPastTheControlSpaceEndsTheWalk()
    {
        var buffer = Completion("hello"u8, stampUnixNanoseconds: null);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4), 20); // 20 bytes of control used
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(SocketStamp.HeaderBytes), 20); // one message of 20: padded, 24

        var bytes = SocketStamp.Read(buffer, SocketStamp.WallClock.Now(), out var stampedAt);

        Assert.Equal("hello"u8.ToArray(), bytes.ToArray());
        Assert.Null(stampedAt);
    }

    // struct io_uring_recvmsg_out, then the control space (one SCM_TIMESTAMPNS message, or nothing used), then the bytes.
    private static byte[] Completion(ReadOnlySpan<byte> payload, long? stampUnixNanoseconds)
    {
        var buffer = new byte[SocketStamp.PayloadOffset + payload.Length];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], stampUnixNanoseconds is null ? 0u : SocketStamp.ControlBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)payload.Length);
        if (stampUnixNanoseconds is { } stamp)
        {
            var control = span[SocketStamp.HeaderBytes..];
            BinaryPrimitives.WriteUInt64LittleEndian(control, 32); // cmsg_len
            BinaryPrimitives.WriteInt32LittleEndian(control[8..], 1); // SOL_SOCKET
            BinaryPrimitives.WriteInt32LittleEndian(control[12..], 35); // SCM_TIMESTAMPNS
            BinaryPrimitives.WriteInt64LittleEndian(control[16..], stamp / 1_000_000_000);
            BinaryPrimitives.WriteInt64LittleEndian(control[24..], stamp % 1_000_000_000);
        }

        payload.CopyTo(span[SocketStamp.PayloadOffset..]);
        return buffer;
    }
}
