using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Sessions;

namespace CatChat.Benchmarks;

/// <summary>
/// Send path: one chat line to every member's real <see cref="Outbox"/>, then their flush lane copies each
/// queue into its transport (a pipe over a null stream) and flushes. The lane is drained on the benchmark
/// thread, so the allocations counted are the whole path's; per operation they must not grow with the
/// number of recipients: a line is encoded once and the same array is queued to all.
/// </summary>
[MemoryDiagnoser]
public class BroadcastBenchmarks
{
    private readonly FlushLane _lane = new(manual: true);
    private ChatRoom _room = null!;
    private ChatMember _sender = null!;

    [Params(10, 1000)]
    public int Recipients { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _room = new ChatRoom(new NicknamePolicy(), BannerText.Parse("bench"));
        for (var i = 0; i <= Recipients; i++)
        {
            var outbox = new Outbox(long.MaxValue, NoConnection.Instance, lane: _lane);
            outbox.Start(PipeWriter.Create(Stream.Null));
            var member = new ChatMember($"c{i}", "127.0.0.1", DateTimeOffset.UnixEpoch, outbox, NoConnection.Instance);
            _room.TryJoin(member);
            _sender ??= member;
        }
    }

    /// <summary>Encode once, queue to every recipient, write every queue out.</summary>
    [Benchmark(Baseline = true)]
    public int Broadcast()
    {
        var recipients = _room.Broadcast("<alice> hello everyone, this is a line of chat for the bench", _sender);
        _lane.RunScheduled();
        return recipients;
    }

    /// <summary>The whole chat-line path: line shape, broadcast, metrics, latency, recent history.</summary>
    [Benchmark]
    public void Say()
    {
        _room.Say(_sender, "hello everyone, this is a line of chat for the bench", TimeProvider.System.GetTimestamp());
        _lane.RunScheduled();
    }
}
