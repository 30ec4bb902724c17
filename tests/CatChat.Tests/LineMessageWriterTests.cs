using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using CatChat.FrontDoors.Irc;
using CatChat.FrontDoors.WebSocket;

namespace CatChat.Tests;

public class LineMessageWriterTests
{
    private readonly MemoryStream _sent = new();
    private readonly SerialWriteStream _connection;

    public LineMessageWriterTests() => _connection = new SerialWriteStream(_sent);

    [Fact]
    public async Task EachLineLeavesAsOneTextMessageWithoutItsLineEnd()
    {
        var writer = new LineMessageWriter(new TextFrameWriter(_connection), binary: false);
        writer.Write(":a PRIVMSG #lobby :one\r\n:b PRIVMSG #lobby :two\r\n"u8);

        await writer.FlushAsync();

        Assert.Equal([(0x81, ":a PRIVMSG #lobby :one"), (0x81, ":b PRIVMSG #lobby :two")], Messages());
    }

    [Fact]
    public async Task AsBinaryEachLineIsOneBinaryMessageOfTheSameBytes()
    {
        var writer = new LineMessageWriter(new TextFrameWriter(_connection), binary: true);
        writer.Write(":a NOTICE b :caf\u00e9\r\n"u8);

        await writer.FlushAsync();

        Assert.Equal([(0x82, ":a NOTICE b :caf\u00e9")], Messages());
    }

    [Fact]
    public async Task AsTextWhatIsNotUtf8IsReplacedSoTheMessageIsValid()
    {
        var writer = new LineMessageWriter(new TextFrameWriter(_connection), binary: false);
        writer.Write<byte>([.. ":a PRIVMSG b :caf"u8, 0xE9, .. "\r\n"u8]);

        await writer.FlushAsync();

        Assert.Equal([(0x81, ":a PRIVMSG b :caf\uFFFD")], Messages());
    }

    [Fact]
    public async Task TheConnectionsOwnFramesPassWholeBetweenLines()
    {
        var writer = new LineMessageWriter(new TextFrameWriter(_connection), binary: false);
        writer.Write(":a PING x\r\n"u8);
        writer.Write<byte>([0x89, 0x03, .. "abc"u8]); // The WebSocket object's keep-alive ping.
        writer.Write(":a PONG y\r\n"u8);

        await writer.FlushAsync();

        Assert.Equal([(0x81, ":a PING x"), (0x89, "abc"), (0x81, ":a PONG y")], Messages());
    }

    [Fact]
    public async Task AnUnfinishedLineWaitsForTheNextTurn()
    {
        var writer = new LineMessageWriter(new TextFrameWriter(_connection), binary: false);
        writer.Write(":a PRIVMSG b :whole\r\n:a PRIVMSG b :ha"u8);
        await writer.FlushAsync();
        Assert.Equal([(0x81, ":a PRIVMSG b :whole")], Messages());

        writer.Write("lf\r\n"u8);
        await writer.FlushAsync();

        Assert.Equal([(0x81, ":a PRIVMSG b :whole"), (0x81, ":a PRIVMSG b :half")], Messages());
        Assert.Equal(0, writer.UnflushedBytes);
    }

    [Fact]
    public async Task ALongLineTakesTheLongerHeader()
    {
        var writer = new LineMessageWriter(new TextFrameWriter(_connection), binary: false);
        var text = ":a PRIVMSG b :" + new string('x', 300);
        writer.Write(Encoding.UTF8.GetBytes(text + "\r\n"));

        await writer.FlushAsync();

        Assert.Equal([(0x81, text)], Messages());
    }

    [Theory]
    [InlineData(new[] { "binary.ircv3.net", "text.ircv3.net" }, "binary.ircv3.net")]
    [InlineData(new[] { "chat", "text.ircv3.net", "binary.ircv3.net" }, "text.ircv3.net")]
    [InlineData(new[] { "chat" }, null)]
    [InlineData(new string[0], null)]
    public void TheClientsFirstIrcSubprotocolIsChosen(string[] offered, string? chosen) =>
        Assert.Equal(chosen, IrcWebSocketSubprotocols.Choose(offered));

    // What left, message by message: each frame's first byte and its payload.
    private List<(int First, string Payload)> Messages()
    {
        var bytes = _sent.ToArray().AsSpan();
        var messages = new List<(int, string)>();
        while (!bytes.IsEmpty)
        {
            var length = bytes[1] & 0x7F;
            var header = 2;
            if (length == 126)
            {
                length = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
                header = 4;
            }

            messages.Add((bytes[0], Encoding.UTF8.GetString(bytes.Slice(header, length))));
            bytes = bytes[(header + length)..];
        }

        return messages;
    }
}
