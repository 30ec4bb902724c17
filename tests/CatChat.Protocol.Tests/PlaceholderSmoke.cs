using System.Buffers;
using System.Text;
using CatChat.Protocol;

namespace CatChat.Protocol.Tests;

public class LineFramerSmokeTests
{
    [Fact]
    public void CrLfTerminatedLineIsReturnedWithoutTerminator()
    {
        var framer = new LineFramer();
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("hello\r\n"));
        Assert.Equal(FrameResult.Line, framer.TryReadLine(ref buffer, out var line));
        Assert.Equal("hello", Encoding.UTF8.GetString(line));
        Assert.True(buffer.IsEmpty);
    }
}
