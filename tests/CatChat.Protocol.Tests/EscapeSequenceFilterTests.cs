namespace CatChat.Protocol.Tests;

public class EscapeSequenceFilterTests
{
    [Theory]
    [InlineData("\u001b[2J")] // erase display
    [InlineData("\u001b[H")] // cursor home
    [InlineData("\u001b[10;10H")] // cursor move
    [InlineData("\u001b[31m")] // red
    [InlineData("\u001b[1;31;42m")] // bold red on green
    [InlineData("\u001b[38;5;196m")] // 256 colours
    [InlineData("\u001b[?25l")] // hide cursor
    [InlineData("\u001b[?1049h")] // alternate screen
    [InlineData("\u001b[2 q")] // cursor shape, with an intermediate byte
    [InlineData("\u001b[A")] // cursor up
    public void CsiSequenceIsRemoved(string sequence) => Assert.Equal("ab", Filter("a" + sequence + "b"));

    [Fact]
    public void ColouredTextKeepsOnlyTheText() =>
        Assert.Equal("red and plain", Filter("\u001b[31mred\u001b[0m and \u001b[1mplain\u001b[m"));

    [Theory]
    [InlineData("\u001b]0;evil title\u0007")] // OSC ended by BEL
    [InlineData("\u001b]0;evil title\u001b\\")] // OSC ended by ESC \
    [InlineData("\u001b]2;title\u009C")] // OSC ended by 8-bit ST
    [InlineData("\u001b]52;c;ZWNobyBwd25lZA==\u0007")] // clipboard write
    [InlineData("\u001b]8;;http://evil.example/\u001b\\")] // hyperlink
    [InlineData("\u001bPq#0;2;0;0;0#0~~@@vv\u001b\\")] // DCS (sixel)
    [InlineData("\u001bP+q544e\u001b\\")] // DCS request termcap
    [InlineData("\u001bXstart of string\u001b\\")] // SOS
    [InlineData("\u001b^privacy message\u001b\\")] // PM
    [InlineData("\u001b_application command\u001b\\")] // APC
    public void ControlStringIsRemovedUpToItsTerminator(string sequence) => Assert.Equal("ab", Filter("a" + sequence + "b"));

    [Fact]
    public void HyperlinkKeepsOnlyItsVisibleText() =>
        Assert.Equal("click", Filter("\u001b]8;;http://evil.example/\u001b\\click\u001b]8;;\u001b\\"));

    [Theory]
    [InlineData("\u009B2J")] // 8-bit CSI erase display
    [InlineData("\u009B31m")] // 8-bit CSI colour
    [InlineData("\u009B10;10H")] // 8-bit CSI cursor move
    [InlineData("\u009B?25l")] // 8-bit CSI private mode
    [InlineData("\u009D0;title\u0007")] // 8-bit OSC ended by BEL
    [InlineData("\u009D0;title\u009C")] // 8-bit OSC ended by 8-bit ST
    [InlineData("\u009D0;title\u001b\\")] // 8-bit OSC ended by ESC \
    [InlineData("\u0090q#0;2;0;0;0\u009C")] // 8-bit DCS
    [InlineData("\u0098sos\u009C")] // 8-bit SOS
    [InlineData("\u009Epm\u009C")] // 8-bit PM
    [InlineData("\u009Fapc\u009C")] // 8-bit APC
    public void EightBitC1SequenceIsRemoved(string sequence) => Assert.Equal("ab", Filter("a" + sequence + "b"));

    [Theory]
    [InlineData("\u001b(B")] // G0 charset ASCII
    [InlineData("\u001b(0")] // G0 charset DEC line drawing
    [InlineData("\u001b)0")] // G1 charset
    [InlineData("\u001b#8")] // DECALN screen fill
    [InlineData("\u001b%G")] // select UTF-8
    [InlineData("\u001bc")] // full reset
    [InlineData("\u001b7")] // save cursor
    [InlineData("\u001b8")] // restore cursor
    [InlineData("\u001bM")] // reverse index
    [InlineData("\u001b=")] // keypad mode
    [InlineData("\u001bN")] // SS2
    public void EscapeSequenceWithoutBracketIsRemoved(string sequence) => Assert.Equal("ab", Filter("a" + sequence + "b"));

    [Theory]
    [InlineData("hello\u001b")]
    [InlineData("hello\u001b[")]
    [InlineData("hello\u001b[31")]
    [InlineData("hello\u001b[10;")]
    [InlineData("hello\u001b(")]
    [InlineData("hello\u001b]0;title that never ends")]
    [InlineData("hello\u001b]0;title\u001b")]
    [InlineData("hello\u001bPq#0;2")]
    [InlineData("hello\u009B")]
    [InlineData("hello\u009B3")]
    [InlineData("hello\u009D0;title")]
    [InlineData("hello\u0090q")]
    public void UnterminatedSequenceAtTheEndOfTheLineIsDropped(string line) => Assert.Equal("hello", Filter(line));

    [Fact]
    public void EscapeRightAfterEscapeStartsANewSequence() => Assert.Equal("ab", Filter("a\u001b\u001b[2Jb"));

    [Fact]
    public void EscapeInsideACsiSequenceStartsANewSequence() => Assert.Equal("ab", Filter("a\u001b[3\u001b[2Jb"));

    [Fact]
    public void OscInterruptedByAnotherSequenceEndsThere() => Assert.Equal("ab", Filter("a\u001b]0;title\u001b[2Jb"));

    [Fact]
    public void ControlCharacterInsideACsiSequenceEndsItAndIsRemoved() => Assert.Equal("ab", Filter("a\u001b[3\u0007b"));

    [Fact]
    public void EscapeFollowedByANonAsciiLetterDropsOnlyTheEscape() => Assert.Equal("aéb", Filter("a\u001béb"));

    [Theory]
    [InlineData('\u0000')]
    [InlineData('\u0001')]
    [InlineData('\u0007')]
    [InlineData('\u0008')]
    [InlineData('\u000A')]
    [InlineData('\u000B')]
    [InlineData('\u000C')]
    [InlineData('\u000D')]
    [InlineData('\u000E')]
    [InlineData('\u001A')]
    [InlineData('\u001C')]
    [InlineData('\u001F')]
    [InlineData('\u007F')]
    public void C0ControlOrDeleteIsRemoved(char control) => Assert.Equal("ab", Filter($"a{control}b"));

    [Fact]
    public void EveryC0ControlButTabIsRemoved()
    {
        for (var c = '\0'; c < ' '; c++)
        {
            if (c is '\t' or '\u001b')
            {
                continue;
            }

            Assert.Equal("ab", Filter($"a{c}b"));
        }
    }

    [Fact]
    public void EveryC1ControlIsRemoved()
    {
        for (var c = '\u0080'; c <= '\u009F'; c++)
        {
            // At the end of the line, so even those that open a sequence have nothing to swallow.
            Assert.Equal("ab", Filter($"ab{c}"));
        }
    }

    [Theory]
    [InlineData('\u0080')]
    [InlineData('\u0084')]
    [InlineData('\u0085')] // NEL, a newline on some terminals
    [InlineData('\u008D')] // RI, reverse index
    [InlineData('\u008E')]
    [InlineData('\u0096')]
    [InlineData('\u009A')]
    [InlineData('\u009C')] // ST on its own
    public void C1ControlThatOpensNoSequenceIsRemovedAndTextAfterItKept(char control) => Assert.Equal("ab", Filter($"a{control}b"));

    [Theory]
    [InlineData('\u202A')] // LRE
    [InlineData('\u202B')] // RLE
    [InlineData('\u202C')] // PDF
    [InlineData('\u202D')] // LRO
    [InlineData('\u202E')] // RLO
    [InlineData('\u2066')] // LRI
    [InlineData('\u2067')] // RLI
    [InlineData('\u2068')] // FSI
    [InlineData('\u2069')] // PDI
    [InlineData('\u200E')] // LRM
    [InlineData('\u200F')] // RLM
    [InlineData('\u061C')] // ALM
    public void BidirectionalControlIsRemoved(char bidi) => Assert.Equal("ab", Filter($"a{bidi}b"));

    [Fact]
    public void RightToLeftOverrideCannotDisguiseAFileName() => Assert.Equal("invoicefdp.exe", Filter("invoice\u202Efdp.exe"));

    [Fact]
    public void TabsBecomeSpaces() => Assert.Equal("a b  c", Filter("a\tb\t\tc"));

    [Theory]
    [InlineData("Hello, world!")]
    [InlineData("Ça va? Très bien, naïve café, Straße, ñandú")]
    [InlineData("Привет, мир. Γειά σου. שלום. مرحبا. 日本語. 한국어")]
    [InlineData("cats 🐱🐈 and a family 👨‍👩‍👧 and flags 🇫🇷")]
    [InlineData("math ∀x∈ℝ, x² ≥ 0 — “quotes” … ✓")]
    [InlineData("<admin> *** ! -> ~`[]{}\\|")]
    [InlineData("[not a sequence] ]0;neither")]
    public void NormalTextIsKeptUnchanged(string text) => Assert.Equal(text, Filter(text));

    [Fact]
    public void FilteringWorksInPlaceAndReturnsTheNumberOfCharactersKept()
    {
        var chars = "a\u001b[1mb\u0007c".ToCharArray();

        var kept = EscapeSequenceFilter.Filter(chars);

        Assert.Equal(3, kept);
        Assert.Equal("abc", new string(chars, 0, kept));
    }

    [Fact]
    public void EmptyTextKeepsNothing() => Assert.Equal(0, EscapeSequenceFilter.Filter([]));

    [Theory]
    [InlineData("\u001b[2J\u001b[H*** Server: everyone has been banned")]
    [InlineData("\u001b]0;\u0007\u001b[1A\u001b[2K<admin> fake")]
    [InlineData("\u009B2J\u009D0;x\u009C\u0085\u001b(0lqk\u001b(B")]
    [InlineData("\u001b\u001b\u001b[[[\u009B\u009B\u009D\u001b]\u0007\u001bP\u001b\\\u001b")]
    public void ResultContainsNoControlCharacterOrEscape(string hostile)
    {
        var result = Filter(hostile);

        foreach (var c in result)
        {
            Assert.False(c < ' ' || c is >= '\u007F' and <= '\u009F', $"U+{(int)c:X4} left in \"{result}\"");
        }
    }

    private static string Filter(string text)
    {
        var chars = text.ToCharArray();
        var kept = EscapeSequenceFilter.Filter(chars);
        Assert.InRange(kept, 0, chars.Length);
        return new string(chars, 0, kept);
    }
}
