using System.Text;
using CatChat.FrontDoors.WebSocket;

namespace CatChat.Tests;

public sealed class Utf8TailTests
{
    [Theory]
    [InlineData(new byte[] { (byte)'x', 0xC3 })] // é cut after its lead
    [InlineData(new byte[] { 0xE2, 0x82 })] // € cut after two of three
    [InlineData(new byte[] { 0xF0, 0x9F, 0x98 })] // an emoji cut after three of four
    [InlineData(new byte[] { 0xF0 })]
    public void ACharacterCutOffIsSeen(byte[] bytes) => Assert.True(Utf8Tail.EndsInsideCharacter(bytes));

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("café")]
    [InlineData("€")]
    [InlineData("😀")]
    [InlineData("x😀")]
    public void WholeCharactersAreNot(string text) => Assert.False(Utf8Tail.EndsInsideCharacter(Encoding.UTF8.GetBytes(text)));
}
