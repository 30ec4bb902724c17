using System.Text;
using CatChat.Chat;
using CatChat.FrontDoors.Irc;
using CatChat.Protocol.Irc;

namespace CatChat.Tests;

public sealed class IrcRendererTests
{
    private sealed class NoOutbox : IOutbox
    {
        public bool TryEnqueue(byte[] encodedLine) => true;
    }

    private static readonly Identity Alice = new("alice", "~alice", "irc");

    // NICKLEN=24, USERLEN=16 (the '~' included) and CHANNELLEN=33: the longest source and room there can be.
    private static readonly Identity Longest = new(new string('n', 24), "~" + new string('u', 15), "irc");
    private static readonly string LongestRoom = "#" + new string('r', 32);

    [Fact]
    public void ATextTooLongForOneLineIsSplitOverLinesOfAtMost512Bytes()
    {
        var text = string.Concat(Enumerable.Repeat("purr 🐱 ", 200));
        var lines = IrcRenderer.Split(tags: null, Alice.ToString(), "PRIVMSG", "#cats", text);

        Assert.True(lines.Count > 1);
        Assert.All(lines, line => Assert.True(Encoding.UTF8.GetByteCount(line) + 2 <= IrcLine.MaxBytes, line));
        Assert.Equal(text, string.Concat(lines.Select(line => line[(line.IndexOf(" :", StringComparison.Ordinal) + 2)..])));
    }

    [Fact]
    public void AnActionIsWrappedInCtcpOnEveryLine()
    {
        var lines = IrcRenderer.Split(tags: null, Alice.ToString(), "PRIVMSG", "#cats", new string('z', 900), action: true);
        Assert.All(lines, line => Assert.Matches("^:alice!~alice@irc PRIVMSG #cats :\u0001ACTION z+\u0001$", line));
        Assert.All(lines, line => Assert.True(Encoding.UTF8.GetByteCount(line) + 2 <= IrcLine.MaxBytes));
    }

    [Fact]
    public void AMembersLineIsRenderedOncePerVariantAndShared()
    {
        var delivery = new Delivery(DeliveryKind.Line, "<alice> hi") { Nick = "alice", From = Alice, RoomName = "#cats", Text = "hi", At = DateTimeOffset.UnixEpoch };
        var member = new ChatMember("c1", "127.0.0.1", DateTimeOffset.UnixEpoch, new NoOutbox(), new RecordingConnection());

        var plain = IrcRenderer.Render(delivery, member, IrcCapabilities.None, "srv")!;
        var timed = IrcRenderer.Render(delivery, member, IrcCapabilities.ServerTime, "srv")!;

        Assert.Equal(":alice!~alice@irc PRIVMSG #cats :hi\r\n", Encoding.UTF8.GetString(plain));
        Assert.Equal("@time=1970-01-01T00:00:00.000Z :alice!~alice@irc PRIVMSG #cats :hi\r\n", Encoding.UTF8.GetString(timed));
        Assert.Same(plain, IrcRenderer.Render(delivery, member, IrcCapabilities.EchoMessage, "srv"));
    }

    [Fact]
    public void AServerNoticeIsAddressedToItsRecipientWithoutThePlainTextMark()
    {
        var delivery = new Delivery(DeliveryKind.Notice, "*** The chat is split.");
        var member = new ChatMember("c1", "127.0.0.1", DateTimeOffset.UnixEpoch, new NoOutbox(), new RecordingConnection()) { Door = "irc", Nick = "bob" };
        Assert.Equal(":srv NOTICE bob :The chat is split.\r\n", Encoding.UTF8.GetString(IrcRenderer.Render(delivery, member, IrcCapabilities.None, "srv")!));
    }

    [Theory]
    [InlineData(DeliveryKind.RoomParted, "PART")]
    [InlineData(DeliveryKind.Departed, "QUIT")]
    [InlineData(DeliveryKind.RoomRemoved, "KICK")]
    public void AReasonFromTheLongestSourceIsCutToFit512BytesAtACharacterBoundary(DeliveryKind kind, string command)
    {
        var delivery = new Delivery(kind, string.Empty)
        {
            From = Longest,
            Actor = Longest,
            Room = new Room(LongestRoom, isDefault: false, new RecentHistory(1)),
            RoomName = LongestRoom,
            Text = new string('é', 480),
            At = DateTimeOffset.UnixEpoch,
        };
        var member = new ChatMember("c1", "127.0.0.1", DateTimeOffset.UnixEpoch, new NoOutbox(), new RecordingConnection()) { Door = "irc", Nick = "bob" };

        var bytes = IrcRenderer.Render(delivery, member, IrcCapabilities.None, "srv")!;

        Assert.True(bytes.Length <= IrcLine.MaxBytes, $"{bytes.Length} bytes");
        var line = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith(":" + Longest + " " + command + " ", line, StringComparison.Ordinal);
        Assert.Matches(" :é{100,}\r\n$", line);
    }

    [Fact]
    public void ModeChangesGoOutAtMostFourToALineAndWithin512Bytes()
    {
        var masks = Enumerable.Range(0, 9).Select(i => $"{i}{new string('m', 150)}!*@*").ToArray();
        var lines = IrcRenderer.ModeLines(tags: null, Longest.ToString(), LongestRoom, "+bbbbbbbb-b " + string.Join(' ', masks));

        Assert.All(lines, line => Assert.True(Encoding.UTF8.GetByteCount(line) + 2 <= IrcLine.MaxBytes, line));
        var parsed = lines.Select(line => line.Split(' ')).ToList();
        Assert.All(parsed, words => Assert.InRange(words[3].Count(char.IsAsciiLetter), 1, IrcRenderer.ModesPerLine));
        Assert.Equal(masks, parsed.SelectMany(words => words[4..]));
        Assert.Equal(9, parsed.Sum(words => words[3].Count(char.IsAsciiLetter)));
        Assert.EndsWith(" -b " + masks[8], lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void ShortModeChangesShareALineUpToFour()
    {
        var lines = IrcRenderer.ModeLines(tags: null, Alice.ToString(), "#cats", "+ooooo-k+l a b c d e * 5");

        Assert.Equal([":alice!~alice@irc MODE #cats +oooo a b c d", ":alice!~alice@irc MODE #cats +o-k+l e * 5"], lines);
    }
}
