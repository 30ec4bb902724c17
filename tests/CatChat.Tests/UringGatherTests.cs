using System.Diagnostics;
using CatChat.Transport.Native;
using CatChat.Transport.Uring;

namespace CatChat.Tests;

/// <summary>
/// <see cref="UringRing.SubmitAndGather"/>, which the load generator's receive thread waits with: completions gather
/// for the minimum wait unless enough come sooner, and an empty minimum wait goes on waiting for the first one.
/// Reads on an eventfd stand in for receives. Only lower bounds on time are asserted: a busy machine makes waits
/// longer, never shorter.
/// </summary>
public sealed unsafe class UringGatherTests : IDisposable
{
    private readonly int _eventFd = Libc.EventFd(0, Libc.EFD_CLOEXEC);
    private readonly byte* _buffer = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(8);

    public void Dispose()
    {
        Libc.Close(_eventFd);
        System.Runtime.InteropServices.NativeMemory.Free(_buffer);
    }

    [Fact]
    public void OneReadyCompletionWaitsOutTheMinimumWaitForOthers()
    {
        using var ring = new UringRing(8, 0, 0, 0, singleIssuer: true);
        Signal();
        Sqe.Read(ring.GetSqe(), _eventFd, _buffer, sizeof(ulong), userData: 7);

        var started = Stopwatch.GetTimestamp();
        Assert.True(ring.SubmitAndGather(gatherCount: 8, gatherMicroseconds: 100_000), "this kernel has no minimum wait (Linux 6.12)");
        var waited = Stopwatch.GetElapsedTime(started);

        Assert.True(waited >= TimeSpan.FromMilliseconds(95), $"returned after {waited.TotalMilliseconds:0.#} ms");

        // Not the call's overall timeout of a second: the minimum wait ended it.
        Assert.True(waited < TimeSpan.FromMilliseconds(950), $"returned after {waited.TotalMilliseconds:0.#} ms");
        Assert.True(ring.TryReap(out var userData, out var result, out _));
        Assert.Equal((7ul, sizeof(ulong)), (userData, result));
    }

    [Fact]
    public void EnoughCompletionsEndTheWaitBeforeTheMinimumWait()
    {
        using var ring = new UringRing(8, 0, 0, 0, singleIssuer: true);
        Signal();
        Sqe.Read(ring.GetSqe(), _eventFd, _buffer, sizeof(ulong), userData: 7);

        var started = Stopwatch.GetTimestamp();
        Assert.True(ring.SubmitAndGather(gatherCount: 1, gatherMicroseconds: 30_000_000));

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(20), "waited for the minimum wait with enough completions");
        Assert.True(ring.TryReap(out _, out _, out _));
    }

    [Fact]
    public void AnEmptyMinimumWaitGoesOnUntilTheFirstCompletion()
    {
        using var ring = new UringRing(8, 0, 0, 0, singleIssuer: true);
        Sqe.Read(ring.GetSqe(), _eventFd, _buffer, sizeof(ulong), userData: 9);
        using var signaller = new Timer(_ => Signal(), null, TimeSpan.FromMilliseconds(150), Timeout.InfiniteTimeSpan);

        var started = Stopwatch.GetTimestamp();
        Assert.True(ring.SubmitAndGather(gatherCount: 8, gatherMicroseconds: 20_000));
        var waited = Stopwatch.GetElapsedTime(started);

        // One call: the read comes at 150 ms, well inside the call's overall timeout of a second.
        Assert.True(ring.TryReap(out var userData, out _, out _), $"returned empty-handed after {waited.TotalMilliseconds:0.#} ms");
        Assert.Equal(9ul, userData);
        Assert.True(waited >= TimeSpan.FromMilliseconds(140), $"returned after {waited.TotalMilliseconds:0.#} ms, before the completion");
    }

    private void Signal()
    {
        ulong one = 1;
        Libc.Write(_eventFd, (byte*)&one, sizeof(ulong));
    }
}
