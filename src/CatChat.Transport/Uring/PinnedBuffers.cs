using System.Collections.Concurrent;
using System.Numerics;

namespace CatChat.Transport.Uring;

/// <summary>
/// Arrays on the pinned object heap for bytes the kernel reads after the call that handed them over returned
/// (an io_uring send): the garbage collector must never move them. Pooled by power-of-two size up to 64 KiB.
/// </summary>
internal static class PinnedBuffers
{
    private const int SmallestShift = 12;
    private const int LargestShift = 16;
    // Bytes kept per size: a fan-out to thousands of connections has a buffer in flight for each, and an array the
    // pool dropped costs a new pinned allocation, which only a full collection frees (at 50 lines/s to 1,000
    // clients, 256 per size made the runtime's own work an eighth of the server's time).
    private const int KeptBytesPerSize = 16 * 1024 * 1024;

    private static readonly ConcurrentStack<byte[]>[] s_pools =
        [.. Enumerable.Range(0, LargestShift - SmallestShift + 1).Select(_ => new ConcurrentStack<byte[]>())];

    // Kept counts beside the stacks: ConcurrentStack.Count walks the whole stack, on every send's completion.
    private static readonly int[] s_kept = new int[LargestShift - SmallestShift + 1];

    public static byte[] Rent(int minimumLength)
    {
        var shift = Math.Max(SmallestShift, BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)Math.Max(minimumLength, 1))));
        if (shift <= LargestShift && s_pools[shift - SmallestShift].TryPop(out var pooled))
        {
            Interlocked.Decrement(ref s_kept[shift - SmallestShift]);
            return pooled;
        }

        return GC.AllocateUninitializedArray<byte>(1 << shift, pinned: true);
    }

    /// <summary>
    /// Lets go of every pooled array, for a server gone quiet: the next full collection frees them (they are pinned,
    /// so nothing else does). Returns the bytes let go.
    /// </summary>
    public static long Clear()
    {
        long released = 0;
        for (var size = 0; size < s_pools.Length; size++)
        {
            while (s_pools[size].TryPop(out var buffer))
            {
                Interlocked.Decrement(ref s_kept[size]);
                released += buffer.Length;
            }
        }

        return released;
    }

    /// <summary>Arrays of <paramref name="length"/> bytes (a power of two) the pool keeps now.</summary>
    internal static int KeptOfLength(int length) => s_kept[BitOperations.Log2((uint)length) - SmallestShift];

    public static void Return(byte[] buffer)
    {
        var shift = BitOperations.Log2((uint)buffer.Length);
        if (shift is >= SmallestShift and <= LargestShift && buffer.Length == 1 << shift)
        {
            var size = shift - SmallestShift;
            if (Interlocked.Increment(ref s_kept[size]) <= KeptBytesPerSize >> shift)
            {
                s_pools[size].Push(buffer);
            }
            else
            {
                Interlocked.Decrement(ref s_kept[size]);
            }
        }
    }
}
