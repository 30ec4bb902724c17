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

    // One stack per size, each an array under a lock: every send rents and returns one, and a pool that allocated a
    // node per return (ConcurrentStack) made most of the chat's garbage, hence its collections and their pauses.
    private static readonly SizePool[] s_pools =
        [.. Enumerable.Range(SmallestShift, LargestShift - SmallestShift + 1).Select(shift => new SizePool(KeptBytesPerSize >> shift))];

    public static byte[] Rent(int minimumLength)
    {
        var shift = Math.Max(SmallestShift, BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)Math.Max(minimumLength, 1))));
        if (shift <= LargestShift && s_pools[shift - SmallestShift].TryTake() is { } pooled)
        {
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
            released += (long)s_pools[size].Clear() << (size + SmallestShift);
        }

        return released;
    }

    /// <summary>Arrays of <paramref name="length"/> bytes (a power of two) the pool keeps now.</summary>
    internal static int KeptOfLength(int length) => s_pools[BitOperations.Log2((uint)length) - SmallestShift].Count;

    public static void Return(byte[] buffer)
    {
        var shift = BitOperations.Log2((uint)buffer.Length);
        if (shift is >= SmallestShift and <= LargestShift && buffer.Length == 1 << shift)
        {
            s_pools[shift - SmallestShift].TryKeep(buffer);
        }
    }

    private sealed class SizePool(int capacity)
    {
        private readonly Lock _gate = new();
        private byte[]?[]? _kept; // Made at the first return: most sizes are never used.
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public byte[]? TryTake()
        {
            lock (_gate)
            {
                if (_count == 0)
                {
                    return null;
                }

                var buffer = _kept![--_count];
                _kept[_count] = null;
                return buffer;
            }
        }

        public void TryKeep(byte[] buffer)
        {
            lock (_gate)
            {
                if (_count < capacity)
                {
                    (_kept ??= new byte[]?[capacity])[_count++] = buffer;
                }
            }
        }

        public int Clear()
        {
            lock (_gate)
            {
                var cleared = _count;
                if (_kept is not null)
                {
                    Array.Clear(_kept, 0, _count);
                }

                _count = 0;
                return cleared;
            }
        }
    }
}
