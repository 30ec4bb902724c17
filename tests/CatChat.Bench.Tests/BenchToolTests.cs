using CatChat.Bench;
using CatChat.Bench.Measurement;
using CatChat.Bench.Reporting;
using CatChat.Bench.Scenarios;
using CatChat.Bench.Targets;
using CatChat.Bench.Wire;
using CatChat.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CatChat.Bench.Tests;

/// <summary>The load generator (bench/CatChat.Bench) run in-process at a tiny scale: it must count every delivery right.</summary>
public class BenchToolTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(200)]
    public async Task FanoutOnCatChatDeliversEveryMessageOnceInOrder(double rate)
    {
        // The same benchmarking settings the tool gives a CatChat it starts itself (flood control off, and so on).
        await using var server = await ChatServer.StartAsync([.. CatChatTarget.BenchmarkSettings]);

        var result = await RunFanoutAsync($"catchat@127.0.0.1:{server.ChatPort}", rate);

        AssertEveryMessageDeliveredOnceInOrder(result);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(200)]
    public async Task FanoutOnRedisDeliversEveryMessageOnceInOrder(double rate)
    {
        Assert.True(File.Exists("/usr/bin/redis-server") || File.Exists("/usr/local/bin/redis-server"),
            "redis-server is not installed (run scripts/install-deps.sh)");

        var result = await RunFanoutAsync("redis", rate);

        AssertEveryMessageDeliveredOnceInOrder(result);
    }

    [Theory]
    [InlineData(0u, 0, 0u, 0L)]
    [InlineData(0xDEADBEEFu, 0xFFFF, 0xFFFFFFFFu, long.MaxValue)]
    [InlineData(0x01234567u, 0x89ab, 0xcdef0123u, 0x0123456789abcdefL)]
    [InlineData(7u, 9, 1000001u, 12345678901234L)]
    public void AMessageReadsBackAsWritten(uint run, int sender, uint sequence, long timestamp)
    {
        var text = new byte[64];
        BenchPayload.Write(text, run, sender, sequence, timestamp);

        Assert.True(BenchPayload.TryRead(text, out var readRun, out var readSender, out var readSequence, out var readTimestamp));
        Assert.Equal((run, sender, sequence, timestamp), (readRun, readSender, readSequence, readTimestamp));
    }

    [Fact]
    public void AMessageWithAnyDigitOutOfRangeIsRejected()
    {
        var text = new byte[BenchPayload.HeaderLength];
        BenchPayload.Write(text, 0x0a1b2c3d, 0x4e5f, 0x6789abcd, 0x0123456789abcdef);
        foreach (var position in Enumerable.Range(4, BenchPayload.HeaderLength - 4))
        {
            foreach (var wrong in "/:`gA .\0\xff"u8.ToArray())
            {
                var corrupted = (byte[])text.Clone();
                corrupted[position] = wrong;
                Assert.False(BenchPayload.TryRead(corrupted, out _, out _, out _, out _), $"'{(char)wrong}' at {position} was read");
            }
        }
    }

    [Fact]
    public void ParsersFindEveryMessageWhateverTheReadSizes()
    {
        var text = new byte[64];
        BenchPayload.Write(text, run: 7, sender: 1, sequence: 0, timestamp: 0);
        var chat = "Welcome to CatChat!\r\n*** You are guest-1.\r\n<guest-2> "u8.ToArray().Concat(text).Concat("\r\n*** guest-3 has joined\r\n<guest-2> "u8.ToArray()).Concat(text).Concat("\r\n"u8.ToArray()).ToArray();
        var resp = "*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n+OK\r\n"u8.ToArray().Concat(RespFrames.Command("message", "c", "x"))
            .Concat("*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$64\r\n"u8.ToArray()).Concat(text).Concat("\r\n"u8.ToArray())
            .Concat("*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$64\r\n"u8.ToArray()).Concat(text).Concat("\r\n"u8.ToArray()).ToArray();
        foreach (var (bytes, parser) in new (byte[], FrameParser)[] { (chat, ChatFrames.Parse), (resp, RespFrames.Parse) })
        {
            for (var chunk = 1; chunk <= bytes.Length; chunk++)
            {
                var sink = new CountingSink();
                var buffered = new List<byte>();
                for (var offset = 0; offset < bytes.Length; offset += chunk)
                {
                    buffered.AddRange(bytes.Skip(offset).Take(chunk));
                    var used = parser(buffered.ToArray(), sink);
                    buffered.RemoveRange(0, used);
                }

                Assert.Empty(buffered);
                Assert.Equal(1, sink.Ready);
                Assert.Equal(2, sink.Payloads);
            }
        }
    }

    [Fact]
    public void ClusterTargetNamesItsNodeCountAndRefusesNone()
    {
        var spec = TargetSpec.Parse("catchat*3");

        Assert.Equal("cluster", spec.Kind);
        Assert.Equal(3, spec.Nodes);
        Assert.Equal("catchat*3", spec.ToString());
        Assert.Throws<ArgumentException>(() => TargetSpec.Parse("catchat*0"));
        Assert.Throws<ArgumentException>(() => TargetSpec.Parse("catchat*"));
    }

    [Fact]
    public void ClusterRunsTellLocalDeliveriesFromCrossings()
    {
        // Two nodes: client i is on node i % 2; senders are clients 0 and 1.
        var run = new FanoutRun(1, 64, senders: 2, window: 0, nodeOf: client => client % 2);
        run.BeginMeasuring(0);

        run.Delivered(run.TallyOfThisThread, sender: 0, sequence: 0, sentAt: 100, receivedAt: 200, readAt: 200, receiverNode: 0);
        run.Delivered(run.TallyOfThisThread, sender: 0, sequence: 0, sentAt: 100, receivedAt: 900, readAt: 900, receiverNode: 1);
        run.Delivered(run.TallyOfThisThread, sender: 1, sequence: 0, sentAt: 100, receivedAt: 950, readAt: 1_000, receiverNode: 0);

        var total = run.Total();
        Assert.Equal(3, total.Deliveries);
        Assert.Equal(1, total.LocalLatency.Count);
        Assert.Equal(2, total.RemoteLatency.Count);
        Assert.Equal((3L, 50L), (total.ReadLag.Count, total.ReadLag.Max)); // Read lag is kept out of the latency.
        Assert.Equal(850L, total.Latency.Max);
    }

    [Fact]
    public void HistogramPercentilesAreWithinOnePercent()
    {
        var histogram = new LatencyHistogram();
        for (long value = 1; value <= 100_000; value++)
        {
            histogram.Record(value * 1000);
        }

        Assert.InRange(histogram.ValueAt(0.5), 49_500_000, 50_500_000);
        Assert.InRange(histogram.ValueAt(0.99), 98_010_000, 99_990_000);
        Assert.Equal(100_000_000, histogram.ValueAt(1));
    }

    internal static async Task<RunResult> RunFanoutAsync(string target, double rate)
    {
        string[] args =
        [
            "fanout", "--target", target, "--clients", "20", "--senders", "2", "--warmup", "0.3", "--measure", "1",
            "--rate", rate.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-build",
        ];
        var options = BenchOptions.Parse(args);
        var point = new RunPoint("fanout", 20, 64, rate, 1);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await MatrixRunner.RunOneAsync(
            options.Targets[0], point, options, new TargetOptions(Build: false, PinServer: null), NullLogger.Instance, timeout.Token);
    }

    internal static void AssertEveryMessageDeliveredOnceInOrder(RunResult result)
    {
        Assert.Null(result.Error);
        Assert.True(result.Sent > 0, "nothing was sent");
        Assert.True(result.DeliveriesPerS > 0, "nothing was delivered in the measured period");
        Assert.Equal(0, result.Losses);
        Assert.Equal(0, result.Duplicates);
        Assert.Equal(0, result.Reorders);
        Assert.Equal(0, result.Malformed);
        Assert.False(result.Stalled);
        Assert.True(result.P50Us > 0 && result.P50Us <= result.P99Us && result.P99Us <= result.MaxUs, ResultsFile.ToLine(result));
    }

    private sealed class CountingSink : IFrameSink
    {
        public int Payloads { get; private set; }

        public int Ready { get; private set; }

        public void OnPayload(ReadOnlySpan<byte> text)
        {
            Assert.True(BenchPayload.TryRead(text, out var run, out var sender, out _, out _));
            Assert.Equal((7u, 1), (run, sender));
            Payloads++;
        }

        public void OnReady() => Ready++;
    }
}
