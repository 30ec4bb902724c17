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
}
