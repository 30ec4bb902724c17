using System.Buffers;
using System.Text;
using CatChat.Protocol;

namespace CatChat.Protocol.Tests;

public sealed class TlsHandshakeSnifferTests
{
    [Theory]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x00, 0xF4 })] // a ClientHello's record header
    [InlineData(new byte[] { 0x16, 0x03 })]
    public void AHandshakeRecordIsRecognised(byte[] bytes) =>
        Assert.True(TlsHandshakeSniffer.StartsHandshake(new ReadOnlySequence<byte>(bytes)));

    [Theory]
    [InlineData("hello\r\n")]
    [InlineData("NICK alice\r\n")]
    [InlineData("\u0016")] // one byte: not enough to tell
    [InlineData("\u0016hello")]
    public void TextIsNot(string text) =>
        Assert.False(TlsHandshakeSniffer.StartsHandshake(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text))));
}
