using System.Text;
using CatChat.FrontDoors.WebSocket;

namespace CatChat.Tests;

public class TextFrameWriterTests
{
    private readonly MemoryStream _sent = new();
    private readonly TextFrameWriter _writer;

    public TextFrameWriterTests() => _writer = new TextFrameWriter(new SerialWriteStream(_sent));

    [Fact]
    public async Task EveryLineOfAFlushBecomesOneTextFrameInOneWrite()
    {
        Write("{\"type\":\"line\",\"text\":\"one\"}\r\n{\"type\":\"line\",\"text\":\"two\"}\r\n");

        var result = await _writer.FlushAsync();

        Assert.False(result.IsCompleted);
        Assert.Equal(["{\"type\":\"line\",\"text\":\"one\"}", "{\"type\":\"line\",\"text\":\"two\"}"], Frames());
        Assert.Equal(0, _writer.UnflushedBytes); // An idle writer holds nothing.
    }

    [Fact]
    public async Task AnUnfinishedLineWaitsForItsEnd()
    {
        Write("{\"type\":\"line\",\"text\":\"wh");
        await _writer.FlushAsync();
        Assert.Empty(Frames());

        Write("ole\"}\n");
        await _writer.FlushAsync();
        Assert.Equal(["{\"type\":\"line\",\"text\":\"whole\"}"], Frames());
    }

    [Theory]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(70_000)]
    public async Task LengthsTakeTheHeaderTheProtocolAsksFor(int length)
    {
        var text = "{\"t\":\"" + new string('x', length - 8) + "\"}";
        Write(text + "\n");

        await _writer.FlushAsync();

        Assert.Equal([text], Frames());
    }

    [Fact]
    public async Task APlainLineIsWrappedInAMessage()
    {
        Write("* Server full. Try again later.\r\n");

        await _writer.FlushAsync();

        var frame = Assert.Single(Frames());
        Assert.StartsWith("{", frame, StringComparison.Ordinal);
        Assert.Contains("Server full. Try again later.", frame, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterAbortFlushesReportCompletionAndSendNothing()
    {
        _writer.Abort();
        Write("{\"late\":true}\n");

        var result = await _writer.FlushAsync();

        Assert.True(result.IsCompleted);
        Assert.Empty(Frames());
    }

    private void Write(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        bytes.CopyTo(_writer.GetSpan(bytes.Length));
        _writer.Advance(bytes.Length);
    }

    // Parses the server's frames (FIN, text, unmasked) out of what was written.
    private List<string> Frames()
    {
        var bytes = _sent.ToArray();
        var frames = new List<string>();
        var at = 0;
        while (at < bytes.Length)
        {
            Assert.Equal(0x81, bytes[at]);
            long length = bytes[at + 1];
            at += 2;
            if (length == 126)
            {
                length = (bytes[at] << 8) | bytes[at + 1];
                at += 2;
            }
            else if (length == 127)
            {
                length = 0;
                for (var i = 0; i < 8; i++)
                {
                    length = (length << 8) | bytes[at + i];
                }

                at += 8;
            }

            frames.Add(Encoding.UTF8.GetString(bytes, at, (int)length));
            at += (int)length;
        }

        Assert.Equal(bytes.Length, at);
        return frames;
    }
}
