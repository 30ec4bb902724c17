using System.Buffers;
using System.Text;

namespace CatChat.Protocol.Tests;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, the way a PipeReader hands over data.</summary>
internal static class Sequences
{
    /// <summary>One segment per part, in order; empty parts become empty segments.</summary>
    public static ReadOnlySequence<byte> FromSegments(params ReadOnlyMemory<byte>[] parts)
    {
        if (parts.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(parts[0]);
        var last = first;
        foreach (var part in parts.AsSpan(1))
        {
            last = last.Append(part);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>One segment per part, each part encoded as UTF-8.</summary>
    public static ReadOnlySequence<byte> FromText(params string[] parts) =>
        FromSegments([.. parts.Select(part => new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(part)))]);

    /// <summary><paramref name="data"/> cut into segments of <paramref name="segmentSize"/> bytes (the last may be shorter).</summary>
    public static ReadOnlySequence<byte> Chunked(ReadOnlyMemory<byte> data, int segmentSize)
    {
        var parts = new List<ReadOnlyMemory<byte>>();
        for (var offset = 0; offset < data.Length; offset += segmentSize)
        {
            parts.Add(data.Slice(offset, Math.Min(segmentSize, data.Length - offset)));
        }

        return FromSegments([.. parts]);
    }

    /// <summary><paramref name="data"/> cut at random places, sometimes with empty segments in between.</summary>
    public static ReadOnlySequence<byte> RandomlySplit(ReadOnlyMemory<byte> data, Random random)
    {
        var parts = new List<ReadOnlyMemory<byte>>();
        var offset = 0;
        while (offset < data.Length)
        {
            var size = random.Next(0, Math.Min(8, data.Length - offset) + 1);
            parts.Add(data.Slice(offset, size));
            offset += size;
        }

        return FromSegments([.. parts]);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
