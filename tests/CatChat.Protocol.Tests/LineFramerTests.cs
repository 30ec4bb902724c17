using System.Buffers;
using System.Text;

namespace CatChat.Protocol.Tests;

public class LineFramerTests
{
    // Stands for a LineTooLong frame in the expected lists; a private-use character no test line contains.
    private const string TooLong = "\uE000LineTooLong";

    [Fact]
    public void LfTerminatedLinesAreReadForEveryChunkSize() =>
        AssertFramedForEverySplit("hello\nworld\n", 64, "hello", "world");

    [Fact]
    public void CrLfTerminatedLinesAreReadWithoutTheCrForEveryChunkSize() =>
        AssertFramedForEverySplit("hello\r\nworld\r\n", 64, "hello", "world");

    [Fact]
    public void MixedTerminatorsAndEmptyLinesAreReadForEveryChunkSize() =>
        AssertFramedForEverySplit("\n\r\n\none\r\n\r\ntwo\n\n", 64, "", "", "", "one", "", "two", "");

    [Fact]
    public void MultiByteUtf8CharactersSplitAcrossChunksArriveWhole() =>
        AssertFramedForEverySplit("héllo 🐱 мир\r\n日本語 ✓\n", 64, "héllo 🐱 мир", "日本語 ✓");

    [Fact]
    public void EscapeSequencesSplitAcrossChunksArriveWholeAndAreSanitisedAway() =>
        AssertFramedForEverySplit(
            "\u001b[31mred\u001b[0m \u001b]0;title\u0007ok\r\n\u001b[2Jnext\n",
            64,
            Sanitised,
            "red ok",
            "next");

    [Fact]
    public void OnlyOneTrailingCarriageReturnIsRemovedAndInnerOnesAreKept() =>
        AssertFramedForEverySplit("a\rb\nc\r\r\n", 64, "a\rb", "c\r");

    [Fact]
    public void LineExactlyAtTheLimitIsAcceptedWithLf() =>
        AssertFramedForEverySplit("12345678\nnext\n", 8, "12345678", "next");

    [Fact]
    public void LineExactlyAtTheLimitIsAcceptedWithCrLf() =>
        AssertFramedForEverySplit("12345678\r\nnext\r\n", 8, "12345678", "next");

    [Fact]
    public void LineOneByteOverTheLimitIsReportedOnceAndTheNextLineIsRead() =>
        AssertFramedForEverySplit("123456789\nnext\n", 8, TooLong, "next");

    [Fact]
    public void CrLfLineOneByteOverTheLimitIsReportedOnceAndTheNextLineIsRead() =>
        AssertFramedForEverySplit("123456789\r\nnext\r\n", 8, TooLong, "next");

    [Fact]
    public void TheLimitCountsBytesNotCharacters() =>
        AssertFramedForEverySplit("éééé\nééééé\nok\n", 8, "éééé", TooLong, "ok");

    [Fact]
    public void ConsecutiveOverlongLinesAreEachReportedOnce() =>
        AssertFramedForEverySplit("aaaaaaaaaaaa\nbbbbbbbbbbbbbbbbbbbb\r\nok\n12345678\n", 8, TooLong, TooLong, "ok", "12345678");

    [Fact]
    public void OverlongLineArrivingInManyChunksIsReportedOnceAndMemoryStaysBounded() =>
        AssertFramedForEverySplit(new string('x', 2000) + "\nok\r\n", 16, TooLong, "ok");

    [Fact]
    public void OverlongLineThatNeverEndsIsReportedOnceAndNothingOfItIsRetained()
    {
        var input = Encoding.UTF8.GetBytes(new string('x', 1000));
        for (var chunkSize = 1; chunkSize <= input.Length; chunkSize++)
        {
            var run = ReadInChunks(new LineFramer(16), input, chunkSize, Decoded);
            Assert.Equal([TooLong], run.Frames);
            Assert.True(run.MaxRetained <= 17, $"chunk size {chunkSize}: retained {run.MaxRetained} bytes");
            Assert.Empty(run.Remainder);
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(65536)]
    [InlineData(1 << 20)]
    [InlineData(int.MaxValue)]
    public void MegabytesWithoutNewlineGiveOneLineTooLongThenTheNextLineIsRead(int chunkSize)
    {
        var input = new byte[(3 << 20) + 12];
        input.AsSpan(0, 3 << 20).Fill((byte)'a');
        Encoding.ASCII.GetBytes("\nhello\r\nbye\n", input.AsSpan(3 << 20));
        var framer = new LineFramer();

        var run = ReadInChunks(framer, input, Math.Min(chunkSize, input.Length), Decoded);

        Assert.Equal([TooLong, "hello", "bye"], run.Frames);
        Assert.True(run.MaxRetained <= LineFramer.DefaultMaxLineBytes + 1, $"retained {run.MaxRetained} bytes");
        Assert.Empty(run.Remainder);
    }

    [Fact]
    public void IncompleteLineStaysInTheBufferUntilItsNewlineArrives()
    {
        var framer = new LineFramer(8);
        var buffer = Sequences.FromText("ab", "c\r");

        Assert.Equal(FrameResult.NeedMoreData, framer.TryReadLine(ref buffer, out _));
        Assert.Equal("abc\r", Encoding.UTF8.GetString(buffer.ToArray()));

        buffer = Sequences.FromText("abc\r", "\nd");
        Assert.Equal(FrameResult.Line, framer.TryReadLine(ref buffer, out var line));
        Assert.Equal("abc", Encoding.UTF8.GetString(line.ToArray()));
        Assert.Equal(FrameResult.NeedMoreData, framer.TryReadLine(ref buffer, out _));
        Assert.Equal("d", Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void MultiSegmentSequenceWithEmptySegmentsIsSplitIntoLines()
    {
        var framer = new LineFramer(64);
        var buffer = Sequences.FromText("he", "llo\r", "", "\nwor", "ld", "\r", "\n", "\n", "", "tail");

        var lines = new List<string>();
        FrameResult result;
        while ((result = framer.TryReadLine(ref buffer, out var line)) == FrameResult.Line)
        {
            lines.Add(Encoding.UTF8.GetString(line.ToArray()));
        }

        Assert.Equal(FrameResult.NeedMoreData, result);
        Assert.Equal(["hello", "world", ""], lines);
        Assert.Equal("tail", Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void MultiSegmentSequenceWithUtf8SplitInsideCharactersKeepsTheBytesIntact()
    {
        var bytes = Encoding.UTF8.GetBytes("é🐱\r\n");
        var framer = new LineFramer(64);
        var buffer = Sequences.FromSegments(bytes.AsMemory(0, 1), bytes.AsMemory(1, 2), bytes.AsMemory(3, 3), bytes.AsMemory(6));

        Assert.Equal(FrameResult.Line, framer.TryReadLine(ref buffer, out var line));
        Assert.Equal("é🐱", Encoding.UTF8.GetString(line.ToArray()));
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void OverlongLineSpanningSegmentsIsReportedOnceAndTheNextLineIsRead()
    {
        var framer = new LineFramer(4);
        var buffer = Sequences.FromText("abc", "de", "f\nok", "\n");

        Assert.Equal(FrameResult.LineTooLong, framer.TryReadLine(ref buffer, out _));
        Assert.Equal(FrameResult.Line, framer.TryReadLine(ref buffer, out var line));
        Assert.Equal("ok", Encoding.UTF8.GetString(line.ToArray()));
        Assert.Equal(FrameResult.NeedMoreData, framer.TryReadLine(ref buffer, out _));
    }

    [Fact]
    public void EmptyBufferNeedsMoreData()
    {
        var framer = new LineFramer();
        var buffer = ReadOnlySequence<byte>.Empty;

        Assert.Equal(FrameResult.NeedMoreData, framer.TryReadLine(ref buffer, out var line));
        Assert.True(buffer.IsEmpty);
        Assert.True(line.IsEmpty);
    }

    [Fact]
    public void DefaultLimitIs4096Bytes()
    {
        Assert.Equal(4096, LineFramer.DefaultMaxLineBytes);
        Assert.Equal(LineFramer.DefaultMaxLineBytes, new LineFramer().MaxLineBytes);
        Assert.Equal(10, new LineFramer(10).MaxLineBytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void LimitBelowOneIsRejected(int maxLineBytes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LineFramer(maxLineBytes));

    private static string Decoded(ReadOnlySequence<byte> line) => Encoding.UTF8.GetString(line.ToArray());

    private static string Sanitised(ReadOnlySequence<byte> line) => TextSanitizer.Sanitize(line);

    private static void AssertFramedForEverySplit(string input, int maxLineBytes, params string[] expected) =>
        AssertFramedForEverySplit(input, maxLineBytes, Decoded, expected);

    // Feeds the input in every chunk size from 1 byte to all of it, the way a PipeReader would, and also
    // hands it over in one go as a sequence of segments of every size; every way must give the same frames.
    private static void AssertFramedForEverySplit(
        string input, int maxLineBytes, Func<ReadOnlySequence<byte>, string> describe, params string[] expected)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        for (var size = 1; size <= bytes.Length; size++)
        {
            var run = ReadInChunks(new LineFramer(maxLineBytes), bytes, size, describe);
            if (!run.Frames.SequenceEqual(expected))
            {
                Assert.Fail($"chunk size {size}: expected [{Show(expected)}] but got [{Show(run.Frames)}]");
            }

            Assert.True(
                run.MaxRetained <= maxLineBytes + 1,
                $"chunk size {size}: the caller had to retain {run.MaxRetained} bytes, more than {maxLineBytes} + 1");

            var whole = ReadAll(new LineFramer(maxLineBytes), Sequences.Chunked(bytes, size), describe, out _);
            if (!whole.SequenceEqual(expected))
            {
                Assert.Fail($"segment size {size}: expected [{Show(expected)}] but got [{Show(whole)}]");
            }
        }
    }

    // Emulates a PipeReader: the unconsumed remainder is kept, the next chunk is appended to it (as a second
    // segment), and TryReadLine is called until it needs more data.
    private static ChunkedRun ReadInChunks(LineFramer framer, byte[] input, int chunkSize, Func<ReadOnlySequence<byte>, string> describe)
    {
        var frames = new List<string>();
        var remainder = Array.Empty<byte>();
        long maxRetained = 0;
        for (var offset = 0; offset < input.Length; offset += chunkSize)
        {
            var chunk = input.AsMemory(offset, Math.Min(chunkSize, input.Length - offset));
            var buffer = remainder.Length == 0 ? new ReadOnlySequence<byte>(chunk) : Sequences.FromSegments(remainder, chunk);
            frames.AddRange(ReadAll(framer, buffer, describe, out buffer));
            maxRetained = Math.Max(maxRetained, buffer.Length);
            remainder = buffer.ToArray();
        }

        return new ChunkedRun(frames, maxRetained, remainder);
    }

    private static List<string> ReadAll(
        LineFramer framer, ReadOnlySequence<byte> buffer, Func<ReadOnlySequence<byte>, string> describe, out ReadOnlySequence<byte> rest)
    {
        var frames = new List<string>();
        FrameResult result;
        while ((result = framer.TryReadLine(ref buffer, out var line)) != FrameResult.NeedMoreData)
        {
            frames.Add(result == FrameResult.Line ? describe(line) : TooLong);
        }

        rest = buffer;
        return frames;
    }

    private static string Show(IEnumerable<string> frames) =>
        string.Join(", ", frames.Select(frame => frame == TooLong ? "LineTooLong" : $"\"{frame}\""));

    private sealed record ChunkedRun(List<string> Frames, long MaxRetained, byte[] Remainder);
}
