using System.Buffers;
using System.Text;
using CatChat.Transport.Uring;

namespace CatChat.Tests;

/// <summary>
/// The io_uring reader's handoff between the ring's thread (which pushes what each receive brought) and the chat's
/// reader, driven by hand: no ring, no socket.
/// </summary>
public sealed class UringInputTests
{
    private int _receivesRequested;

    private UringInput NewInput() => new(() => _receivesRequested++);

    private static string Text(ReadOnlySequence<byte> bytes) => Encoding.ASCII.GetString(bytes.ToArray());

    [Fact]
    public async Task BytesThatArriveWhileTheReaderHoldsAResultComeBeforeLaterOnes()
    {
        var input = NewInput();
        input.OnReceived("A"u8);
        var first = await input.ReadAsync();
        Assert.Equal("A", Text(first.Buffer));

        input.OnReceived("B"u8); // The reader still holds "A": these must wait, the held bytes must not move.
        Assert.Equal("A", Text(first.Buffer));
        input.AdvanceTo(first.Buffer.Start, first.Buffer.End);
        input.OnReceived("C"u8); // After the reader let go, before it reads again.

        var second = await input.ReadAsync();
        Assert.Equal("ABC", Text(second.Buffer));
    }

    [Fact]
    public async Task ConsumedBytesGoAndTheStashedOnesFollowInOrder()
    {
        var input = NewInput();
        input.OnReceived("line\r\npart"u8);
        var first = await input.ReadAsync();
        input.OnReceived("ial"u8);
        input.OnReceived("\r\n"u8);
        input.AdvanceTo(first.Buffer.GetPosition(6), first.Buffer.End);
        input.OnReceived("next"u8);

        var second = await input.ReadAsync();
        Assert.Equal("partial\r\nnext", Text(second.Buffer));
        input.AdvanceTo(second.Buffer.End);
        Assert.False(input.HoldsBuffer);
    }

    [Fact]
    public async Task AParkedReadWakesWithTheBytesOfTheNextReceive()
    {
        var input = NewInput();
        var read = input.ReadAsync();
        Assert.False(read.IsCompleted);

        input.OnReceived("hello"u8);

        var result = await read;
        Assert.Equal("hello", Text(result.Buffer));
        Assert.False(result.IsCompleted);
    }

    [Fact]
    public async Task AReaderThatFallsBehindStopsTheReceivesUntilItCatchesUp()
    {
        var input = NewInput();
        Assert.True(input.BeginReceiving());
        var chunk = new byte[UringInput.ReceiveAheadBytes / 4];
        var again = true;
        var receives = 0;
        while (again)
        {
            again = input.OnReceived(chunk);
            receives++;
        }

        Assert.Equal(4, receives);
        var result = await input.ReadAsync();
        Assert.Equal(UringInput.ReceiveAheadBytes, result.Buffer.Length);
        Assert.Equal(0, _receivesRequested);

        input.AdvanceTo(result.Buffer.End);
        Assert.Equal(1, _receivesRequested);
        Assert.False(input.HoldsBuffer);
    }

    [Fact]
    public async Task TheEndOfTheStreamCompletesTheReadAfterTheLastBytes()
    {
        var input = NewInput();
        input.OnReceived("bye\r\n"u8);
        input.OnReceived([]);

        var result = await input.ReadAsync();
        Assert.Equal("bye\r\n", Text(result.Buffer));
        Assert.True(result.IsCompleted);
    }
}
