using CatChat.Sessions;

namespace CatChat.Tests;

public sealed class LineQueueTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(200)]
    public void LinesComeOutInTheOrderTheyWentIn(int count)
    {
        var queue = default(LineQueue);
        var lines = Enumerable.Range(0, count).Select(i => new[] { (byte)i }).ToArray();
        foreach (var line in lines)
        {
            queue.Enqueue(line);
        }

        Assert.Equal(count, queue.Count);
        foreach (var line in lines)
        {
            Assert.True(queue.TryDequeue(out var taken));
            Assert.Same(line, taken);
        }

        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void InterleavedUseAcrossSegmentBoundariesKeepsOrder()
    {
        var queue = default(LineQueue);
        var next = 0;
        var expected = 0;
        for (var round = 0; round < 50; round++)
        {
            // Put in a few more than are taken out, so the queue walks over many segment ends.
            for (var i = 0; i < 7; i++)
            {
                queue.Enqueue(BitConverter.GetBytes(next++));
            }

            for (var i = 0; i < 5; i++)
            {
                Assert.True(queue.TryDequeue(out var taken));
                Assert.Equal(expected++, BitConverter.ToInt32(taken));
            }
        }

        while (queue.TryDequeue(out var taken))
        {
            Assert.Equal(expected++, BitConverter.ToInt32(taken));
        }

        Assert.Equal(next, expected);
    }

    [Fact]
    public void ALoneLineAndTheLinesAfterItKeepTheirOrderAndPeekSeesTheNext()
    {
        // One line sits without a segment; a second moves both into one; emptying returns to the lone form.
        var queue = default(LineQueue);
        byte[] a = [1], b = [2], c = [3];
        Assert.False(queue.TryPeek(out _));

        queue.Enqueue(a);
        Assert.Equal(1, queue.Count);
        Assert.True(queue.TryPeek(out var peeked));
        Assert.Same(a, peeked);

        queue.Enqueue(b);
        Assert.True(queue.TryPeek(out peeked));
        Assert.Same(a, peeked);
        Assert.True(queue.TryDequeue(out var taken));
        Assert.Same(a, taken);

        queue.Enqueue(c);
        Assert.Equal(2, queue.Count);
        Assert.True(queue.TryDequeue(out taken));
        Assert.Same(b, taken);
        Assert.True(queue.TryDequeue(out taken));
        Assert.Same(c, taken);
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryDequeue(out _));

        queue.Enqueue(c);
        Assert.True(queue.TryDequeue(out taken));
        Assert.Same(c, taken);
        Assert.False(queue.TryPeek(out _));
    }
}
