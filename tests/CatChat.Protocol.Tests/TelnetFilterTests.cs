using System.Text;

namespace CatChat.Protocol.Tests;

public class TelnetFilterTests
{
    private const byte Iac = 0xFF;
    private const byte Se = 0xF0;
    private const byte Sb = 0xFA;
    private const byte Will = 0xFB;
    private const byte Do = 0xFD;
    private const byte Echo = 1;
    private const byte SuppressGoAhead = 3;
    private const byte TerminalType = 24;
    private const byte Naws = 31;

    [Fact]
    public void BytesWithoutIacAreLeftAlone()
    {
        var bytes = Encoding.UTF8.GetBytes("plain text, héllo 🐱");
        var original = bytes.ToArray();

        Assert.Equal(original.Length, TelnetFilter.RemoveNegotiation(bytes));
        Assert.Equal(original, bytes);
    }

    [Fact]
    public void EmptyInputStaysEmpty() => Assert.Equal(0, TelnetFilter.RemoveNegotiation([]));

    [Theory]
    [InlineData(0xFB)] // WILL
    [InlineData(0xFC)] // WONT
    [InlineData(0xFD)] // DO
    [InlineData(0xFE)] // DONT
    public void OptionNegotiationIsRemovedAndTextAroundItKept(byte verb) =>
        Assert.Equal("hithere", Filter("hi", [Iac, verb, Echo], "there"));

    [Fact]
    public void OptionNegotiationWhoseOptionByteIs255IsRemovedWhole() =>
        Assert.Equal("ab", Filter("a", [Iac, Do, Iac], "b"));

    [Fact]
    public void SubnegotiationIsRemovedUpToIacSe() =>
        Assert.Equal("before after", Filter("before ", [Iac, Sb, TerminalType, 0, .. "xterm"u8, Iac, Se], "after"));

    [Fact]
    public void SubnegotiationWithAnEscapedIacBeforeItsEndIsRemovedWhole() =>
        Assert.Equal("ok", Filter("", [Iac, Sb, Naws, 0, Iac, Iac, Iac, Se], "ok"));

    [Fact]
    public void SubnegotiationWhoseEscapedIacIsFollowedBy240IsRemovedWhole() =>
        // RFC 855: inside IAC SB ... IAC SE a data byte 255 is sent doubled, so IAC IAC 0xF0 is the data
        // bytes 255, 240 and not the end of the subnegotiation. NAWS for a 65535 x 61440 window sends this.
        Assert.Equal("ok", Filter("", [Iac, Sb, Naws, Iac, Iac, Iac, Iac, Se, 0, Iac, Se], "ok"));

    [Fact]
    public void EscapedIacDataByteIsRemoved() => Assert.Equal("ab", Filter("a", [Iac, Iac], "b"));

    [Theory]
    [InlineData(0xF0)] // SE without SB
    [InlineData(0xF1)] // NOP
    [InlineData(0xF2)] // Data Mark
    [InlineData(0xF3)] // Break
    [InlineData(0xF4)] // Interrupt Process
    [InlineData(0xF5)] // Abort Output
    [InlineData(0xF6)] // Are You There
    [InlineData(0xF7)] // Erase Character
    [InlineData(0xF8)] // Erase Line
    [InlineData(0xF9)] // Go Ahead
    public void TwoByteCommandIsRemovedAndTheNextByteKept(byte command) =>
        Assert.Equal("xyz", Filter("x", [Iac, command], "yz"));

    [Fact]
    public void NegotiationBurstOfAClientConnectingIsRemovedEntirely() =>
        Assert.Equal(
            "hello",
            Filter(
                "",
                [Iac, Do, Echo, Iac, Will, SuppressGoAhead, Iac, Will, Naws, Iac, Sb, Naws, 0, 80, 0, 24, Iac, Se, Iac, 0xF1],
                "hello"));

    [Fact]
    public void NegotiationBetweenMultiByteCharactersKeepsThemIntact() =>
        Assert.Equal("é🐱", Filter("é", [Iac, Will, Echo], "🐱"));

    [Fact]
    public void LoneIacAtTheEndIsDropped() => Assert.Equal("abc", Filter("abc", [Iac], ""));

    [Fact]
    public void TruncatedOptionNegotiationAtTheEndIsDropped() => Assert.Equal("abc", Filter("abc", [Iac, Will], ""));

    [Fact]
    public void UnterminatedSubnegotiationIsDroppedToTheEnd() =>
        Assert.Equal("abc", Filter("abc", [Iac, Sb, TerminalType, .. "xterm and more"u8, Iac], ""));

    [Fact]
    public void FilteringWorksInPlaceAndReturnsTheNewLength()
    {
        byte[] bytes = [(byte)'a', Iac, Will, Echo, (byte)'b', (byte)'c'];

        var length = TelnetFilter.RemoveNegotiation(bytes);

        Assert.Equal(3, length);
        Assert.Equal("abc"u8.ToArray(), bytes[..length]);
    }

    private static string Filter(string before, byte[] negotiation, string after)
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes(before), .. negotiation, .. Encoding.UTF8.GetBytes(after)];
        var length = TelnetFilter.RemoveNegotiation(bytes);
        return Encoding.UTF8.GetString(bytes, 0, length);
    }

    [Fact]
    public void StrayIacBeforeOrdinaryDataDropsOnlyTheIac() =>
        Assert.Equal("cafes", Filter("caf", [Iac], "es"));
}
