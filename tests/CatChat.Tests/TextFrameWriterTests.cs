using System.Text;
using CatChat.FrontDoors.WebSocket;

namespace CatChat.Tests;

public class TextFrameWriterTests
{
    private readonly MemoryStream _sent = new();
    private readonly SerialWriteStream _connection;
    private readonly TextFrameWriter _writer;

    public TextFrameWriterTests()
    {
        _connection = new SerialWriteStream(_sent);
        _writer = new TextFrameWriter(_connection);
    }

    [Fact]
    public async Task TheFramesOfATurnLeaveAsWrittenInOneFlushAndTheLockIsFreeAfter()
    {
        Write(Frame("{\"type\":\"line\",\"text\":\"one\"}"), Frame("{\"type\":\"line\",\"text\":\"two\"}"));
        Assert.Empty(Frames()); // Nothing leaves before the flush.

        var result = await _writer.FlushAsync();

        Assert.False(result.IsCompleted);
        Assert.Equal(["{\"type\":\"line\",\"text\":\"one\"}", "{\"type\":\"line\",\"text\":\"two\"}"], Frames());
        Assert.Equal(0, _writer.UnflushedBytes);
        Assert.False(_connection.Gate.IsHeld);
    }

    [Theory]
    [InlineData(125, 2)]
    [InlineData(126, 4)]
    [InlineData(70_000, 10)]
    public async Task LengthsTakeTheHeaderTheProtocolAsksFor(int length, int headerBytes)
    {
        var text = "{\"t\":\"" + new string('x', length - 8) + "\"}";
        var frame = Frame(text);
        Assert.Equal(length + headerBytes, frame.Length);
        Write(frame);

        await _writer.FlushAsync();

        Assert.Equal([text], Frames());
    }

    [Fact]
    public async Task APlainLineIsWrappedInAMessage()
    {
        Write(Encoding.UTF8.GetBytes("* Server full. Try again later.\r\n"));

        await _writer.FlushAsync();

        var frame = Assert.Single(Frames());
        Assert.StartsWith("{", frame, StringComparison.Ordinal);
        Assert.Contains("Server full. Try again later.", frame, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhileTheWebSocketHoldsTheLockATurnWaitsAndNeitherCutsIntoTheOther()
    {
        await _connection.Gate.EnterAsync(); // The WebSocket object is writing a pong.
        Write(Frame("{\"n\":1}"));
        var flush = _writer.FlushAsync().AsTask();
        Assert.False(flush.IsCompleted);

        _sent.Write([0x8A, 0x00]); // The pong, written whole while it holds the lock.
        _connection.Gate.Exit();
        await flush;

        Assert.Equal([0x8A, 0x00, TextFrame.FirstByte, 7], _sent.ToArray()[..4]);
        Assert.False(_connection.Gate.IsHeld);

        // And a pong that comes while no turn is under way goes through the same lock.
        await _connection.WriteAsync(new byte[] { 0x8A, 0x00 });
        Assert.Equal([0x8A, 0x00], _sent.ToArray()[^2..]);
    }

    [Fact]
    public async Task AfterAbortFlushesReportCompletionSendNothingAndTheLockIsLetGo()
    {
        Write(Frame("{\"first\":true}"));
        _writer.Abort();

        var result = await _writer.FlushAsync();

        Assert.True(result.IsCompleted);
        Assert.Empty(Frames());
        Assert.False(_connection.Gate.IsHeld);
    }

    [Fact]
    public async Task OnceFramesAreRoutedTheWebSocketObjectsGoToTheOutboxAndTheWriterWritesWithoutTheLock()
    {
        var queued = new List<byte[]>();
        _connection.RouteFramesTo(frame =>
        {
            queued.Add(frame);
            return true;
        });

        await _connection.WriteAsync(new byte[] { 0x8A, 0x00 }); // A pong: queued, not written.
        Assert.Equal([0x8A, 0x00], Assert.Single(queued));
        Assert.Empty(_sent.ToArray());

        Write(Frame("{\"n\":1}"));
        await _writer.FlushAsync(); // The first turn takes the lock once and finds the frames routed.
        Assert.False(_connection.Gate.IsHeld);

        // From then on a turn does not wait for the lock, whoever holds it.
        await _connection.Gate.EnterAsync();
        Write(Frame("{\"n\":2}"));
        var flush = _writer.FlushAsync();
        Assert.True(flush.IsCompletedSuccessfully);
        _connection.Gate.Exit();
        Assert.Equal(["{\"n\":1}", "{\"n\":2}"], Frames());
    }

    [Fact]
    public async Task AControlFrameAtATurnsStartLeavesAsAFrameNotWrappedAsText()
    {
        Write([0x8A, 0x02, (byte)'h', (byte)'i'], Frame("{\"n\":1}"));

        await _writer.FlushAsync();

        Assert.Equal([0x8A, 0x02, (byte)'h', (byte)'i', TextFrame.FirstByte, 7], _sent.ToArray()[..6]);
    }

    [Fact]
    public async Task AWriteWaitingForTheLockWhenFramesAreRoutedIsQueuedNotWrittenBesideTheOutbox()
    {
        Write(Frame("{\"n\":1}")); // The writer holds the lock for its turn.
        var pong = _connection.WriteAsync(new byte[] { 0x8A, 0x00 }).AsTask();
        Assert.False(pong.IsCompleted);

        var queued = new List<byte[]>();
        _connection.RouteFramesTo(frame =>
        {
            queued.Add(frame);
            return true;
        });
        await _writer.FlushAsync();
        await pong;

        Assert.Equal([0x8A, 0x00], Assert.Single(queued));
        Assert.Equal(["{\"n\":1}"], Frames());
    }

    [Fact]
    public async Task AfterTheSessionTheWebSocketObjectsCloseGoesStraightToTheSocketAgain()
    {
        _connection.RouteFramesTo(_ => true);
        Write(Frame("{\"n\":1}"));
        await _writer.FlushAsync();
        _writer.Complete();
        Assert.False(_writer.IsFlushing);

        _connection.StopRoutingFrames();
        await _connection.WriteAsync(new byte[] { 0x88, 0x02, 0x03, 0xE8 });

        Assert.Equal([0x88, 0x02, 0x03, 0xE8], _sent.ToArray()[^4..]);
        Assert.False(_connection.Gate.IsHeld);
    }

    [Fact]
    public async Task AfterTheWebSocketObjectsCloseNoMessageLeaves()
    {
        // A protocol error in the first packet: the WebSocket object closes before the session has sent its banner.
        await _connection.WriteAsync(new byte[] { 0x88, 0x02, 0x03, 0xEA });

        Write(Frame("{\"type\":\"banner\"}"));
        var result = await _writer.FlushAsync();

        Assert.True(result.IsCompleted);
        Assert.Equal([0x88, 0x02, 0x03, 0xEA], _sent.ToArray());
        Assert.False(_connection.Gate.IsHeld);
    }

    [Fact]
    public async Task AfterTheWebSocketObjectsCloseATurnWaitingForTheLockSendsNothing()
    {
        await _connection.Gate.EnterAsync(); // The WebSocket object is about to write its close.
        Write(Frame("{\"n\":1}"));
        var flush = _writer.FlushAsync().AsTask();
        _connection.Gate.Exit();
        await _connection.WriteAsync(new byte[] { 0x88, 0x00 });

        // Whichever took the lock first, no message follows the close.
        await flush;
        Write(Frame("{\"n\":2}"));
        Assert.True((await _writer.FlushAsync()).IsCompleted);
        var sent = _sent.ToArray();
        Assert.Equal([0x88, 0x00], sent[^2..]);
    }

    private static byte[] Frame(string json) => TextFrame.Of(Encoding.UTF8.GetBytes(json));

    // As an outbox does: one reservation, the messages copied in, one advance.
    private void Write(params byte[][] messages)
    {
        var span = _writer.GetSpan(messages.Sum(message => message.Length));
        var at = 0;
        foreach (var message in messages)
        {
            message.CopyTo(span[at..]);
            at += message.Length;
        }

        _writer.Advance(at);
    }

    // Parses the server's frames (FIN, text, unmasked) out of what was written.
    private List<string> Frames()
    {
        var bytes = _sent.ToArray();
        var frames = new List<string>();
        var at = 0;
        while (at < bytes.Length)
        {
            Assert.Equal(TextFrame.FirstByte, bytes[at]);
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
