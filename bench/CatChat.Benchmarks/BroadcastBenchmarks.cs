using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using CatChat.Chat;
using CatChat.Connections;
using CatChat.Protocol;

namespace CatChat.Benchmarks;

/// <summary>
/// Send path: one chat line to every member's real <see cref="Outbox"/>, then each outbox's batch copied
/// into its transport (a pipe over a null stream) and flushed, as its writer loop would. Everything runs on
/// the benchmark thread, so the allocations counted are the whole path's; per operation they must not
/// grow with the number of recipients: a line is encoded once and the same array is queued to all.
/// </summary>
[MemoryDiagnoser]
public class BroadcastBenchmarks
{
    private readonly List<(Outbox Outbox, PipeWriter Transport)> _outboxes = [];
    private ChatRoom _room = null!;
    private ChatMember _sender = null!;

    [Params(10, 1000)]
    public int Recipients { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _room = new ChatRoom(new NicknamePolicy(), ["bench"]);
        for (var i = 0; i <= Recipients; i++)
        {
            var outbox = new Outbox(long.MaxValue, () => throw new InvalidOperationException("A benchmark outbox overflowed."));
            var member = new ChatMember($"c{i}", "127.0.0.1", DateTimeOffset.UnixEpoch, outbox, _ => { });
            _room.TryJoin(member);
            _outboxes.Add((outbox, PipeWriter.Create(Stream.Null)));
            _sender ??= member;
        }
    }

    /// <summary>Encode once, queue to every recipient, write every queue out.</summary>
    [Benchmark(Baseline = true)]
    public int Broadcast()
    {
        var recipients = _room.Broadcast("<alice> hello everyone, this is a line of chat for the bench", _sender);
        FlushAll();
        return recipients;
    }

    /// <summary>The whole chat-line path: line shape, broadcast, metrics, latency, recent history.</summary>
    [Benchmark]
    public void Say()
    {
        _room.Say(_sender, "hello everyone, this is a line of chat for the bench", TimeProvider.System.GetTimestamp());
        FlushAll();
    }

    private void FlushAll()
    {
        foreach (var (outbox, transport) in _outboxes)
        {
            if (outbox.TakeBatch(transport, CancellationToken.None, out _) > 0)
            {
                // Stream.Null completes at once: the flush finishes synchronously.
                _ = transport.FlushAsync().GetAwaiter().GetResult();
            }
        }
    }
}
