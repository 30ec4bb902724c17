using System.Text;
using CatChat.Bench;
using CatChat.Bench.Reporting;
using CatChat.Bench.Scenarios;
using CatChat.Bench.Targets;
using CatChat.Bench.Wire;
using CatChat.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CatChat.Bench.Tests;

/// <summary>The load generator's IRC wire (registration, JOIN once welcomed, PRIVMSG deliveries, PING) and its IRC targets.</summary>
public sealed class IrcWireTests
{
    private static readonly TargetOptions NoBuild = new(Build: false, PinServer: null);

    [Fact]
    public void TheParserFindsWelcomeJoinPingsAndEveryMessageWhateverTheReadSizes()
    {
        var text = new byte[64];
        BenchPayload.Write(text, run: 7, sender: 1, sequence: 0, timestamp: 0);
        var payload = Encoding.ASCII.GetString(text);
        var bytes = Encoding.ASCII.GetBytes(
            ":irc.example 001 b5 :Welcome to the network b5\r\n"
            + ":irc.example 422 b5 :MOTD File is missing\r\n"
            + "PING :token-1\r\n"
            + ":b5!~b5@127.0.0.1 JOIN :#bench\r\n"
            + ":irc.example 353 b5 = #bench :@b0 b5\r\n"
            + ":irc.example 366 b5 #bench :End of /NAMES list.\r\n"
            + $":b1!~b1@127.0.0.1 PRIVMSG #bench :{payload}\r\n"
            + ":b2!~b2@127.0.0.1 PRIVMSG #bench :hello, not a bench message\r\n"
            + $"@time=2026-12-05T21:00:00.000Z :b1!b1@catchat PRIVMSG #bench :{payload}\n"
            + ":irc.example PING irc.example\r\n");
        for (var chunk = 1; chunk <= bytes.Length; chunk++)
        {
            var sink = new RecordingSink();
            var buffered = new List<byte>();
            for (var offset = 0; offset < bytes.Length; offset += chunk)
            {
                buffered.AddRange(bytes.Skip(offset).Take(chunk));
                buffered.RemoveRange(0, IrcFrames.Parse(buffered.ToArray(), sink));
            }

            Assert.Empty(buffered);
            Assert.Equal((1, 1, 2, 0), (sink.Welcomes, sink.Ready, sink.Payloads, sink.Refusals.Count));
            Assert.Equal(new[] { "token-1", "irc.example" }, sink.Pings);
        }
    }

    [Theory]
    [InlineData(":irc.example 433 * b5 :Nickname is already in use")]
    [InlineData(":irc.example 471 b5 #bench :Cannot join channel (+l)")]
    [InlineData(":irc.example 403 b5 #bench :No such channel")]
    [InlineData("ERROR :Closing link: (b5@127.0.0.1) [Too many connections]")]
    public void ANicknameOrJoinErrorIsARefusal(string line)
    {
        var sink = new RecordingSink();

        IrcFrames.Parse(Encoding.ASCII.GetBytes(line + "\r\n"), sink);

        Assert.Equal(new[] { line }, sink.Refusals);
    }

    [Theory]
    [InlineData("catchat-irc", "catchat-irc")]
    [InlineData("InspIRCd", "inspircd")]
    [InlineData("ngircd", "ngircd")]
    [InlineData("ngircd@127.0.0.1:6667", "ngircd@127.0.0.1:6667")]
    [InlineData("irc-floor", "irc-floor")]
    [InlineData("irc-floor-uring", "irc-floor-uring")]
    public void IrcTargetsKeepTheirNames(string text, string name)
    {
        var spec = TargetSpec.Parse(text);

        Assert.Equal(name, spec.ToString());
        Assert.True(spec.IsIrc);
    }

    [Fact]
    public void AnotherBuildsIrcPortIsNamedByItsLabel()
    {
        var dll = Path.Combine(Directory.CreateTempSubdirectory("catchat-irc-target-").FullName, "CatChat.dll");
        File.WriteAllText(dll, "");

        var spec = TargetSpec.Parse($"catchat-irc=before:{dll}");

        Assert.Equal(("catchat-irc", "before", dll), (spec.Kind, spec.Label, spec.Program));
        Assert.Equal("catchat-irc=before", spec.Create(NoBuild, null).Name);
    }

    [Fact]
    public void IrcScenariosTakeIrcServersOnlyAndTheThreeByDefault()
    {
        Assert.Equal(new[] { "catchat-irc", "inspircd", "ngircd" }, BenchOptions.Parse(["irc"]).Targets.Select(t => t.ToString()));
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["irc", "--target", "redis"]));
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["idle", "--target", "ngircd"]));
    }

    [Fact]
    public void EachClientRegistersUnderItsOwnNickAndSendersPrivmsgTheChannel()
    {
        var target = TargetSpec.Parse("inspircd").Create(NoBuild, null);
        var message = target.CreateMessage(64);

        Assert.Equal("NICK b12\r\nUSER b12 0 * :CatChat bench\r\n", Encoding.ASCII.GetString(target.JoinRequestFor(12).Span));
        Assert.Equal("JOIN #bench\r\n", Encoding.ASCII.GetString(target.WelcomeReply(12, sender: true).Span));
        Assert.Equal("PRIVMSG #bench :", Encoding.ASCII.GetString(message.Bytes, 0, message.Bytes.Length - 66));
        Assert.Equal(64, message.Text.Length);
        Assert.True(target.SendersAreReceivers);
    }

    [Fact]
    public void NgircdSendersLiftTheirOwnFloodLimitBeforeTheyJoin()
    {
        var target = TargetSpec.Parse("ngircd").Create(NoBuild, null);

        Assert.Equal("OPER bench bench\r\nMODE b3 +F\r\nJOIN #bench\r\n", Encoding.ASCII.GetString(target.WelcomeReply(3, sender: true).Span));
        Assert.Equal("JOIN #bench\r\n", Encoding.ASCII.GetString(target.WelcomeReply(30, sender: false).Span));
    }

    [Fact]
    public void TheReportSetsCatChatAgainstTheBestOfTheOthers()
    {
        var report = MarkdownReport.Write([IrcRun("catchat-irc", 1, 400), IrcRun("inspircd", 4, 900), IrcRun("ngircd", 2, 800)]);

        Assert.Contains("| 1,000 | 400 lines/s | catchat-irc | 2.00x (ngircd) | 0.50x (ngircd) |", report);
    }

    [Fact]
    public void TheFloorIsAReferenceForEveryServerNotTheBestOther()
    {
        var report = MarkdownReport.Write(
            [IrcRun("catchat-irc", 1, 500), IrcRun("inspircd", 5, 500), IrcRun("ngircd", 2, 500), IrcRun("irc-floor", 0.5, 500), IrcRun("irc-floor-uring", 0.25, 500)]);

        Assert.Contains("| 1,000 | 400 lines/s | catchat-irc | 2.00x (ngircd) | 1.00x (inspircd) |", report);
        Assert.Contains("| 1,000 | 400 lines/s | catchat-irc | 0.50x |", report);
        Assert.Contains("| 1,000 | 400 lines/s | inspircd | 0.10x |", report);
        Assert.Contains("| 1,000 | 400 lines/s | irc-floor-uring | 2.00x |", report);
        Assert.DoesNotContain("| 1,000 | 400 lines/s | irc-floor | 1.00x |", report);
    }

    [Theory]
    [InlineData("irc-floor")]
    [InlineData("irc-floor-uring")]
    public async Task IrcFanoutOnTheFloorDeliversEveryMessageOnceInOrder(string floor)
    {
        var options = BenchOptions.Parse(["irc", "--target", floor, "--clients", "20", "--senders", "2", "--warmup", "0.3", "--measure", "1", "--no-build"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var result = await MatrixRunner.RunOneAsync(options.Targets[0], new RunPoint("irc", 20, 64, 0, 1), options, NoBuild, NullLogger.Instance, timeout.Token);

        Assert.Null(result.Error);
        Assert.Equal(floor, result.Target);
        Assert.True(result.Sent > 0 && result.DeliveriesPerS > 0 && result.ServerCpuS is not null, ResultsFile.ToLine(result));
        Assert.Equal((0L, 0L, 0L, 0L), (result.Losses, result.Duplicates, result.Reorders, result.Malformed));
    }

    [Fact]
    public async Task IrcFanoutOnCatChatDeliversEveryMessageOnceInOrder()
    {
        await using var server = await ChatServer.StartWithIrcAsync([.. CatChatTarget.BenchmarkSettings]);
        var options = BenchOptions.Parse(
            ["irc", "--target", $"catchat-irc@127.0.0.1:{server.IrcPort}", "--clients", "20", "--senders", "2", "--warmup", "0.3", "--measure", "1", "--no-build"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var result = await MatrixRunner.RunOneAsync(options.Targets[0], new RunPoint("irc", 20, 64, 0, 1), options, NoBuild, NullLogger.Instance, timeout.Token);

        Assert.Null(result.Error);
        Assert.True(result.Sent > 0 && result.DeliveriesPerS > 0, ResultsFile.ToLine(result));
        Assert.Equal((0L, 0L, 0L, 0L), (result.Losses, result.Duplicates, result.Reorders, result.Malformed));
        Assert.False(result.Stalled);
    }

    // One irc run at 400 lines/s to 1,000 clients, 400,000 deliveries a second, for the report's tests.
    private static RunResult IrcRun(string target, double cpu, double p99) => new()
    {
        Scenario = "irc",
        Target = target,
        N = 1000,
        Senders = 10,
        Size = 64,
        Rate = 400,
        MeasureS = 5,
        Repeat = 1,
        DeliveriesPerS = 400_000,
        ServerCpuS = cpu,
        P99Us = p99,
    };

    private sealed class RecordingSink : IFrameSink
    {
        public int Payloads { get; private set; }

        public int Ready { get; private set; }

        public int Welcomes { get; private set; }

        public List<string> Pings { get; } = [];

        public List<string> Refusals { get; } = [];

        public void OnPayload(ReadOnlySpan<byte> text)
        {
            Assert.True(BenchPayload.TryRead(text, out var run, out var sender, out _, out _));
            Assert.Equal((7u, 1), (run, sender));
            Payloads++;
        }

        public void OnReady() => Ready++;

        public void OnWelcome() => Welcomes++;

        public void OnPing(ReadOnlySpan<byte> token) => Pings.Add(Encoding.ASCII.GetString(token));

        public void OnRefused(ReadOnlySpan<byte> line) => Refusals.Add(Encoding.ASCII.GetString(line));
    }
}
