using CatChat.Hosting;
using CatChat.Transport.Uring;
using Microsoft.Extensions.Logging.Abstractions;

namespace CatChat.Tests;

/// <summary>What a trim of a quiet server lets go of.</summary>
public sealed class IdleHeapTrimmerTests
{
    // The largest size the pool keeps: unit tests send nothing that large, so no other test fills it meanwhile.
    private const int Length = 64 * 1024;

    [Fact]
    public void ATrimEmptiesThePoolOfSendBuffers()
    {
        var buffers = Enumerable.Range(0, 3).Select(_ => PinnedBuffers.Rent(Length)).ToArray();
        foreach (var buffer in buffers)
        {
            PinnedBuffers.Return(buffer);
        }

        Assert.True(PinnedBuffers.KeptOfLength(Length) >= 3);

        new IdleHeapTrimmer(TimeProvider.System, NullLogger<IdleHeapTrimmer>.Instance).Trim();

        Assert.Equal(0, PinnedBuffers.KeptOfLength(Length));
    }
}
