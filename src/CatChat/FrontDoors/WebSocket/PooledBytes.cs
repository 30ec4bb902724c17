using System.Buffers;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>A writer's own byte buffer, rented from the shared pool as it grows and given back when emptied.</summary>
internal static class PooledBytes
{
    private const int MinimumBytes = 4096;

    /// <summary>
    /// <paramref name="buffer"/>, grown (its first <paramref name="used"/> bytes kept) to hold at least
    /// <paramref name="sizeHint"/> more; doubles, so a writer that keeps adding copies little.
    /// </summary>
    public static byte[] Reserve(ref byte[]? buffer, int used, int sizeHint)
    {
        var needed = used + Math.Max(sizeHint, 1);
        if (buffer is null || buffer.Length < needed)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(MinimumBytes, (buffer?.Length ?? 0) * 2)));
            if (buffer is { } old)
            {
                old.AsSpan(0, used).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(old);
            }

            buffer = grown;
        }

        return buffer;
    }

    /// <summary>Gives <paramref name="buffer"/> back to the pool, if there is one.</summary>
    public static void Release(ref byte[]? buffer)
    {
        if (buffer is { } held)
        {
            buffer = null;
            ArrayPool<byte>.Shared.Return(held);
        }
    }
}
