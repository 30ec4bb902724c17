using System.Buffers;
using System.Text;

namespace CatChat.Protocol.Tests;

public class TextSanitizerTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Theory]
    [InlineData(new byte[] { 0x61, 0xC3, 0x28, 0x62 }, "a\uFFFD(b")] // lead byte without its continuation
    [InlineData(new byte[] { 0x61, 0x80, 0x62 }, "a\uFFFDb")] // lone continuation byte
    [InlineData(new byte[] { 0x61, 0xFE, 0x62 }, "a\uFFFDb")] // never valid in UTF-8
    [InlineData(new byte[] { 0xC0, 0xAF }, "\uFFFD\uFFFD")] // overlong encoding of '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "\uFFFD\uFFFD\uFFFD")] // encoded surrogate
    [InlineData(new byte[] { 0x61, 0xE2, 0x82 }, "a\uFFFD")] // truncated at the end
    [InlineData(new byte[] { 0x61, 0x9B, 0x32, 0x4A }, "a\uFFFD2J")] // a raw 8-bit CSI byte is invalid UTF-8, not a CSI
    public void InvalidUtf8BecomesReplacementCharacters(byte[] line, string expected) => Assert.Equal(expected, SanitizeBytes(line));

    [Fact]
    public void NulAndOtherC0ControlsAndDeleteAreRemoved() =>
        Assert.Equal("abcdefghij", SanitizeText("a\0b\u0001c\u0007d\be\u000Bf\u000Cg\rh\u001Fi\u007Fj"));

    [Fact]
    public void EveryC1ControlEncodedInUtf8IsRemoved()
    {
        for (var c = '\u0080'; c <= '\u009F'; c++)
        {
            Assert.Equal("ab", SanitizeText($"ab{c}"));
        }
    }

    [Theory]
    [InlineData("\u001b[2J", "")]
    [InlineData("\u001b[31mred\u001b[0m text", "red text")]
    [InlineData("go \u001b[10;10Hthere", "go there")]
    [InlineData("\u001b]0;title\u0007after", "after")]
    [InlineData("\u001b]0;title\u001b\\after", "after")]
    [InlineData("\u001bPq#0;2;0;0;0\u001b\\after", "after")]
    [InlineData("a\u009B2Jb", "ab")]
    [InlineData("a\u009B31mred", "ared")]
    [InlineData("\u009D0;title\u009Cafter", "after")]
    [InlineData("a\u001b(Bb", "ab")]
    [InlineData("a\u202Eb\u2066c\u2067d\u2068e\u2069f", "abcdef")]
    [InlineData("a\tb", "a b")]
    [InlineData("Héllo wörld 🐱 日本語 👨‍👩‍👧", "Héllo wörld 🐱 日本語 👨‍👩‍👧")]
    [InlineData("hello\u001b[", "hello")]
    [InlineData("hello\u001b]0;unterminated title", "hello")]
    [InlineData("", "")]
    [InlineData("\u001b[2J\u0007\u0000", "")]
    public void Utf8LineIsSanitised(string line, string expected) => Assert.Equal(expected, SanitizeText(line));

    [Fact]
    public void TelnetNegotiationIsRemovedBeforeDecoding()
    {
        byte[] line = [.. "he"u8, 0xFF, 0xFB, 0x01, .. "l"u8, 0xFF, 0xFA, 0x18, .. "xterm"u8, 0xFF, 0xF0, .. "lo"u8, 0xFF, 0xFF];

        Assert.Equal("hello", SanitizeBytes(line));
    }

    [Fact]
    public void OnlyTelnetNegotiationGivesEmptyText() => Assert.Equal(string.Empty, SanitizeBytes([0xFF, 0xFD, 0x01, 0xFF, 0xFB, 0x03]));

    [Fact]
    public void MultiSegmentSequenceIsSanitisedLikeTheSameBytesInOnePiece()
    {
        var bytes = Encoding.UTF8.GetBytes("he\u001b[31mllo wörld 🐱\u009B2J!");
        var expected = "hello wörld 🐱!";

        for (var size = 1; size <= bytes.Length; size++)
        {
            Assert.Equal(expected, TextSanitizer.Sanitize(Sequences.Chunked(bytes, size)));
        }

        var withEmptySegments = Sequences.FromSegments(bytes.AsMemory(0, 0), bytes.AsMemory(0, 3), bytes.AsMemory(3, 0), bytes.AsMemory(3));
        Assert.Equal(expected, TextSanitizer.Sanitize(withEmptySegments));
    }

    [Fact]
    public void EmptySequenceGivesEmptyText() => Assert.Equal(string.Empty, TextSanitizer.Sanitize(ReadOnlySequence<byte>.Empty));

    [Theory]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(1025)]
    [InlineData(5000)]
    [InlineData(70000)]
    public void LongLineIsSanitisedWholeThroughEveryOverload(int length)
    {
        var (line, expected) = LongLine(length);

        Assert.Equal(expected, SanitizeBytes(line));
        Assert.Equal(expected, TextSanitizer.Sanitize(new ReadOnlySequence<byte>(line)));
        Assert.Equal(expected, TextSanitizer.Sanitize(Sequences.Chunked(line, 97)));
        Assert.Equal(expected, TextSanitizer.Sanitize(Encoding.UTF8.GetString(line)));
    }

    [Fact]
    public void LongMultiByteLineIsSanitisedWhole()
    {
        // 300 times 2 + 4 bytes of text and 4 bytes of escape sequence: 3000 bytes, 1500 characters.
        var text = string.Concat(Enumerable.Repeat("é\u001b[1m🐱", 300));
        var expected = string.Concat(Enumerable.Repeat("é🐱", 300));

        Assert.Equal(expected, SanitizeText(text));
        Assert.Equal(expected, TextSanitizer.Sanitize(Sequences.Chunked(Encoding.UTF8.GetBytes(text), 1000)));
    }

    [Fact]
    public void PooledBuffersDoNotLeakAnEarlierLongerLine()
    {
        var earlier = Encoding.UTF8.GetBytes(new string('Z', 4000));
        Assert.Equal(new string('Z', 4000), TextSanitizer.Sanitize(new ReadOnlySequence<byte>(earlier)));

        var later = Encoding.UTF8.GetBytes(new string('a', 1500));
        var result = TextSanitizer.Sanitize(Sequences.Chunked(later, 700));

        Assert.Equal(new string('a', 1500), result);
    }

    [Fact]
    public void SpanOverloadLeavesTheCallersBytesAsScratchButReturnsTheSanitisedText()
    {
        var bytes = Encoding.UTF8.GetBytes("x\u001b[2Jy");

        Assert.Equal("xy", TextSanitizer.Sanitize(bytes.AsSpan()));
    }

    [Theory]
    [InlineData("Welcome to \u001b[1mCatChat\u001b[0m!\u0007", "Welcome to CatChat!")]
    [InlineData("tab\tseparated", "tab separated")]
    [InlineData("\u202Eevil\u2069 \u0085next", "evil next")]
    [InlineData("ordinary banner 🐱", "ordinary banner 🐱")]
    [InlineData("", "")]
    public void StringIsSanitised(string text, string expected) => Assert.Equal(expected, TextSanitizer.Sanitize(text));

    [Fact]
    public void RandomBytesNeverProduceControlCharactersOrEscape()
    {
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            AssertSafeAndConsistent(bytes, random);
        }
    }

    [Fact]
    public void RandomMixturesOfEscapesControlsAndTextNeverProduceControlCharactersOrEscape()
    {
        byte[][] tokens =
        [
            [0x1B], [0x1B], [0x1B], "["u8.ToArray(), "]"u8.ToArray(), "P"u8.ToArray(), "\\"u8.ToArray(), "("u8.ToArray(),
            "0;"u8.ToArray(), "31m"u8.ToArray(), "2J"u8.ToArray(), "?25"u8.ToArray(), [0x07], [0x00], [0x09], [0x0D], [0x7F],
            [0xC2, 0x9B], [0xC2, 0x9D], [0xC2, 0x9C], [0xC2, 0x90], [0xC2, 0x85], [0x9B], [0xC2], [0xE2, 0x80, 0xAE],
            [0xE2, 0x81, 0xA6], [0xFF], [0xFF, 0xFB], [0xFF, 0xFA], [0xFF, 0xF0], "a"u8.ToArray(), "hello "u8.ToArray(),
            "é"u8.ToArray(), "🐱"u8.ToArray(), [0xF0, 0x9F], [0x80],
        ];
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var line = new List<byte>();
            for (var count = random.Next(0, 60); count > 0; count--)
            {
                line.AddRange(tokens[random.Next(tokens.Length)]);
            }

            AssertSafeAndConsistent([.. line], random);
        }
    }

    private static void AssertSafeAndConsistent(byte[] line, Random random)
    {
        var result = SanitizeBytes(line);
        foreach (var c in result)
        {
            if (c < ' ' || c is >= '\u007F' and <= '\u009F' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069')
            {
                Assert.Fail($"U+{(int)c:X4} in the result for bytes {Convert.ToHexString(line)}");
            }
        }

        try
        {
            StrictUtf8.GetByteCount(result);
        }
        catch (EncoderFallbackException)
        {
            Assert.Fail($"the result for bytes {Convert.ToHexString(line)} is not well-formed UTF-16");
        }

        Assert.Equal(result, TextSanitizer.Sanitize(Sequences.RandomlySplit(line, random)));
    }

    private static (byte[] Line, string Expected) LongLine(int length)
    {
        // ASCII words separated by BEL or a colour sequence, cut to exactly length bytes (maybe inside a sequence).
        var line = new StringBuilder(length + 16);
        for (var i = 0; line.Length < length; i++)
        {
            line.Append('w').Append(i).Append(' ').Append(i % 3 == 0 ? $"\u001b[3{i % 8}m" : "\u0007");
        }

        line.Length = length;
        var text = line.ToString();
        return (Encoding.UTF8.GetBytes(text), ExpectedOf(text));
    }

    // The sanitised form of ASCII text made of words, BEL and CSI colour sequences only.
    private static string ExpectedOf(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\u0007')
            {
                continue;
            }

            if (text[i] == '\u001b')
            {
                i++;
                while (i < text.Length && text[i] != 'm')
                {
                    i++;
                }

                continue;
            }

            result.Append(text[i]);
        }

        return result.ToString();
    }

    private static string SanitizeText(string line) => SanitizeBytes(Encoding.UTF8.GetBytes(line));

    private static string SanitizeBytes(byte[] line) => TextSanitizer.Sanitize(line.ToArray().AsSpan());
}
