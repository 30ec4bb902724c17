using System.Text;

namespace CatChat.Protocol.Tests;

public class LineEncoderTests
{
    [Fact]
    public void AsciiLineIsItsBytesThenCrLf() => Assert.Equal("<bob> hi\r\n"u8.ToArray(), LineEncoder.Encode("<bob> hi"));

    [Fact]
    public void EmptyLineIsJustCrLf() => Assert.Equal([(byte)'\r', (byte)'\n'], LineEncoder.Encode(string.Empty));

    [Theory]
    [InlineData("héllo")]
    [InlineData("🐱 日本語 мир")]
    [InlineData("\uFEFFleading zero-width no-break space")]
    public void NonAsciiLineIsUtf8ThenCrLf(string line) =>
        Assert.Equal([.. Encoding.UTF8.GetBytes(line), (byte)'\r', (byte)'\n'], LineEncoder.Encode(line));

    [Fact]
    public void NoByteOrderMarkIsAdded()
    {
        var bytes = LineEncoder.Encode("éa");

        Assert.Equal([0xC3, 0xA9, (byte)'a', (byte)'\r', (byte)'\n'], bytes);
    }

    [Fact]
    public void LoneSurrogateIsEncodedAsAReplacementCharacter() =>
        Assert.Equal([(byte)'a', 0xEF, 0xBF, 0xBD, (byte)'\r', (byte)'\n'], LineEncoder.Encode("a\uD800"));

    [Fact]
    public void EachCallReturnsAFreshArray() => Assert.NotSame(LineEncoder.Encode("x"), LineEncoder.Encode("x"));
}
