using CatChat.Hosting;

namespace CatChat.Tests;

public class HeapTrimPolicyTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void TrimsOnlyOnceABusySpellHasGoneQuiet()
    {
        var policy = new HeapTrimPolicy(allocatedAtStart: 1 * MiB);

        Assert.False(policy.ShouldTrim(2 * MiB, heapBytes: 8 * MiB)); // Quiet, but too little garbage yet.
        Assert.False(policy.ShouldTrim(30 * MiB, heapBytes: 8 * MiB)); // A storm of logins: not quiet.
        Assert.False(policy.ShouldTrim(60 * MiB, heapBytes: 8 * MiB));
        Assert.True(policy.ShouldTrim(60 * MiB, heapBytes: 8 * MiB)); // Quiet after the storm.

        policy.Trimmed(60 * MiB);
        Assert.False(policy.ShouldTrim(60 * MiB, heapBytes: 8 * MiB)); // Nothing new since.
    }

    [Fact]
    public void StartUpGarbageCountsFromTheProcessStart()
    {
        var policy = new HeapTrimPolicy(allocatedAtStart: 9 * MiB);

        Assert.True(policy.ShouldTrim(9 * MiB, heapBytes: 8 * MiB));
    }

    [Fact]
    public void AQuietChatTrimsOnlyOnceItsGarbageIsAQuarterOfTheHeap()
    {
        var policy = new HeapTrimPolicy(allocatedAtStart: 0);
        policy.Trimmed(0);
        var allocated = 0L;
        var checks = 0;

        // A few lines a second: 64 KiB per check, always quiet. A 100 MiB heap of idle connections waits for 25 MiB.
        do
        {
            allocated += 64 * 1024;
            checks++;
        }
        while (!policy.ShouldTrim(allocated, heapBytes: 100 * MiB));

        Assert.Equal(25 * MiB, allocated);
        Assert.Equal(400, checks);
    }
}
