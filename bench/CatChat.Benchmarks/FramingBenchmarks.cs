using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using CatChat.Protocol;

namespace CatChat.Benchmarks;

/// <summary>Receive path, step one: splitting a read of 64 chat lines into lines.</summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private ReadOnlySequence<byte> _oneSegment;
    private ReadOnlySequence<byte> _manySegments;

    [GlobalSetup]
    public void Setup()
    {
        var text = string.Concat(Enumerable.Repeat("hello everyone, this is a 64-byte line of chat for the bench!!\r\n", 64));
        var bytes = Encoding.UTF8.GetBytes(text);
        _oneSegment = new ReadOnlySequence<byte>(bytes);
        _manySegments = Segments.Split(bytes, 100);
    }

    [Benchmark(Baseline = true)]
    public int OneSegment() => CountLines(_oneSegment);

    [Benchmark]
    public int SegmentsOf100Bytes() => CountLines(_manySegments);

    private static int CountLines(ReadOnlySequence<byte> buffer)
    {
        var framer = new LineFramer();
        var lines = 0;
        while (framer.TryReadLine(ref buffer, out _) == FrameResult.Line)
        {
            lines++;
        }

        return lines;
    }
}
