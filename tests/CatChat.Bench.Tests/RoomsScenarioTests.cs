using System.Globalization;
using System.Text;
using CatChat.Bench.Reporting;
using CatChat.Bench.Scenarios;
using CatChat.Bench.Targets;
using CatChat.Bench.Wire;
using CatChat.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CatChat.Bench.Tests;

/// <summary>The rooms scenario: who is in which room, what counts as misrouted, and small runs against real servers.</summary>
public sealed class RoomsScenarioTests
{
    private const int Size = 64;

    [Fact]
    public void ClientsGoToRoomIModRAndSendersSpreadOverTheFirstRooms()
    {
        var layout = new RoomLayout(rooms: 4, members: 3, senders: 6);

        Assert.Equal(12, layout.Clients);
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], Enumerable.Range(0, 12).Select(layout.RoomOf));
        Assert.Equal([2, 2, 1, 1], Enumerable.Range(0, 4).Select(layout.SendersIn));
        Assert.Equal(2, layout.MaxSendersPerRoom);

        // Sender k is client k: within its room, the (k / R)-th sender, a slot its room's receivers keep for it.
        Assert.Equal([0, 0, 0, 0, 1, 1], Enumerable.Range(0, 6).Select(layout.SlotOf));
        Assert.Equal("r-3", RoomLayout.Name(layout.RoomOf(7)));
    }

    [Theory]
    [InlineData(0, 3, 1)]
    [InlineData(4, 0, 1)]
    [InlineData(4, 3, 0)]
    [InlineData(4, 3, 13)]
    [InlineData(70_000, 1, 70_000)] // more senders than a message's 4 hex digits can name
    public void ALayoutThatCannotBeRunIsRefused(int rooms, int members, int senders) =>
        Assert.Throws<ArgumentException>(() => new RoomLayout(rooms, members, senders));

    [Fact]
    public void OptionsGiveOneSenderPerRoomUnlessTold()
    {
        var options = BenchOptions.Parse(["rooms", "--rooms", "1000,1", "--members", "10"]);
        var told = BenchOptions.Parse(["rooms", "--rooms", "1000", "--members", "10", "--senders", "5"]);

        Assert.Equal([(1000, 10, 1000), (1, 10, 1)], options.RoomLayouts().Select(l => (l.Rooms, l.Members, l.Senders)));
        Assert.Equal(5, Assert.Single(told.RoomLayouts()).Senders);
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["rooms", "--rooms", "2", "--members", "2", "--senders", "5"]));
    }

    [Fact]
    public void CatChatJoinIsReadyOnlyOnceTheJoinIsConfirmed()
    {
        var layout = new RoomLayout(rooms: 4, members: 3, senders: 4);
        var run = new FanoutRun(7, Size, layout.Senders, window: 0, rooms: layout);
        var client = BenchClient.Unconnected(ChatFrames.ParseInRooms, run, room: 1);

        client.Consume("Welcome to CatChat!\r\n*** You are guest-1234. Type /nick NAME to change it.\r\n"u8, 0);
        Assert.False(client.Ready.IsCompleted);

        client.Consume("*** You joined #r-1 (you are its first member); your lines go there now. /part leaves it.\r\n"u8, 0);
        Assert.True(client.Ready.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task CatChatRefusingTheJoinFailsTheClientWithItsReason()
    {
        var client = BenchClient.Unconnected(ChatFrames.ParseInRooms, run: null, room: 2);

        client.Consume("*** You are guest-1.\r\n! Cannot join #r-2: the server has 2 rooms, the most it may have. Join one of them.\r\n"u8, 0);

        var refused = await Assert.ThrowsAsync<IOException>(() => client.Ready);
        Assert.Contains("the most it may have", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALineFromAnotherRoomIsMisroutedNeverDelivered()
    {
        // Client in room 1 of 4; senders 0-7, so its room's are 1 and 5.
        var layout = new RoomLayout(rooms: 4, members: 3, senders: 8);
        var run = new FanoutRun(7, Size, layout.Senders, window: 0, rooms: layout);
        run.BeginMeasuring(0);
        var client = BenchClient.Unconnected(ChatFrames.ParseInRooms, run, room: 1);

        client.Consume(ChatLine(sender: 1, sequence: 0), 1);
        client.Consume(ChatLine(sender: 5, sequence: 0), 1);
        client.Consume(ChatLine(sender: 2, sequence: 0), 1); // room 2's
        client.Consume(ChatLine(sender: 1, sequence: 1, room: "#lobby"), 1); // its room's sender, as a line of another room
        client.Consume(ChatLine(sender: 1, sequence: 1), 1);

        Assert.Equal((3L, 2L, 0L, 0L), (client.Unique, client.Misrouted, client.Duplicates, client.Malformed));
        Assert.Equal(3, run.Total().Deliveries);
    }

    [Fact]
    public void ARedisMessageFromAnotherRoomsSenderIsMisrouted()
    {
        var layout = new RoomLayout(rooms: 3, members: 2, senders: 3);
        var run = new FanoutRun(9, Size, layout.Senders, window: 0, rooms: layout);
        var client = BenchClient.Unconnected(RespFrames.Parse, run, room: 0);

        client.Consume(RespMessage("r-0", run.Id, sender: 0), 1);
        client.Consume(RespMessage("r-2", run.Id, sender: 2), 1);

        Assert.Equal((1L, 1L), (client.Unique, client.Misrouted));
    }

    [Fact]
    public async Task AClosedLoopWithOneMemberPerRoomIsRefusedBeforeAnyServerStarts()
    {
        // Nothing listens at port 1: the refusal must come before any connection is tried.
        var result = await RunAsync("catchat@127.0.0.1:1", rooms: 10, members: 1, senders: 10, rate: 0);

        Assert.Contains("at least 2 members per room", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(200)]
    public async Task RoomsOnCatChatDeliverEveryLineToItsRoomOnly(double rate)
    {
        await using var server = await ChatServer.StartAsync([.. CatChatTarget.BenchmarkSettings]);

        // 6 senders over 4 rooms: rooms 0 and 1 have two, 2 and 3 one each.
        var result = await RunAsync($"catchat@127.0.0.1:{server.ChatPort}", rooms: 4, members: 3, senders: 6, rate);

        AssertEveryMessageReachedItsRoomOnly(result);
    }

    [Fact]
    public async Task SilentRoomsOnCatChatHearNothing()
    {
        await using var server = await ChatServer.StartAsync([.. CatChatTarget.BenchmarkSettings]);

        // One sender: rooms 1 to 5 say nothing, and each of their members must receive nothing.
        var result = await RunAsync($"catchat@127.0.0.1:{server.ChatPort}", rooms: 6, members: 2, senders: 1, rate: 0);

        AssertEveryMessageReachedItsRoomOnly(result);
    }

    [Fact]
    public async Task RoomsOnRedisDeliverEveryMessageToItsChannelOnly()
    {
        Assert.True(File.Exists("/usr/bin/redis-server") || File.Exists("/usr/local/bin/redis-server"),
            "redis-server is not installed (run scripts/install-deps.sh)");

        var result = await RunAsync("redis", rooms: 4, members: 3, senders: 6, rate: 0);

        AssertEveryMessageReachedItsRoomOnly(result);
        Assert.True(result.RssAfterKb > 0 && result.KbPerConnection is not null, "the server's memory was not taken");
    }

    [Fact]
    public async Task ACatChatThatRefusesTheRoomsFailsTheRunWithItsReason()
    {
        await using var server = await ChatServer.StartAsync([.. CatChatTarget.BenchmarkSettings, "--max-rooms", "2"]);

        var result = await RunAsync($"catchat@127.0.0.1:{server.ChatPort}", rooms: 4, members: 3, senders: 4, rate: 0);

        Assert.Contains("the most it may have", result.Error, StringComparison.Ordinal);
        Assert.Null(result.Deliveries);
    }

    [Fact]
    public void TheReportHasARoomsTableWithRatiosAndMisrouted()
    {
        var report = MarkdownReport.Write([Rooms("catchat", 900_000, cpu: 4.5, misrouted: 1), Rooms("redis", 300_000, cpu: 5)]);

        Assert.Contains("## Many rooms", report, StringComparison.Ordinal);
        Assert.Contains("| 1,000 | 10 | 1,000 | 64 | closed loop (window 8) | 900,000 | 300,000 | 3.00 | 1.00 M / 0.30 M | 3.33 |", report, StringComparison.Ordinal);
        Assert.Contains("| 0 / 0 / 0 / 1; 0 / 0 / 0 / 0 |", report, StringComparison.Ordinal);
        Assert.DoesNotContain("## Fan-out", report, StringComparison.Ordinal);
    }

    private static RunResult Rooms(string target, double deliveriesPerS, double cpu, long misrouted = 0) => new()
    {
        Scenario = "rooms",
        Target = target,
        N = 10_000,
        Rooms = 1000,
        Members = 10,
        Senders = 1000,
        Size = Size,
        Window = 8,
        Repeat = 1,
        MeasureS = 5,
        DeliveriesPerS = deliveriesPerS,
        ServerCpuS = cpu,
        Losses = 0,
        Duplicates = 0,
        Reorders = 0,
        Misrouted = misrouted,
    };

    private static async Task<RunResult> RunAsync(string target, int rooms, int members, int senders, double rate)
    {
        string[] args =
        [
            "rooms", "--target", target, "--rooms", rooms.ToString(CultureInfo.InvariantCulture), "--members", members.ToString(CultureInfo.InvariantCulture),
            "--senders", senders.ToString(CultureInfo.InvariantCulture), "--warmup", "0.3", "--measure", "1", "--window", "8",
            "--rate", rate.ToString(CultureInfo.InvariantCulture), "--no-build",
        ];
        var options = BenchOptions.Parse(args);
        var layout = Assert.Single(options.RoomLayouts());
        var point = new RunPoint("rooms", layout.Clients, Size, rate, 1, layout);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await MatrixRunner.RunOneAsync(
            options.Targets[0], point, options, new TargetOptions(Build: false, PinServer: null), NullLogger.Instance, timeout.Token);
    }

    private static void AssertEveryMessageReachedItsRoomOnly(RunResult result)
    {
        Assert.Null(result.Error);
        Assert.True(result.Sent > 0, "nothing was sent");
        Assert.True(result.DeliveriesPerS > 0, "nothing was delivered in the measured period");
        Assert.Equal(0, result.Losses);
        Assert.Equal(0, result.Misrouted);
        Assert.Equal(0, result.Duplicates);
        Assert.Equal(0, result.Reorders);
        Assert.Equal(0, result.Malformed);
        Assert.False(result.Stalled);
        Assert.True(result.P50Us > 0 && result.P50Us <= result.P99Us && result.P99Us <= result.MaxUs, ResultsFile.ToLine(result));
    }

    private static byte[] ChatLine(int sender, uint sequence, string? room = null)
    {
        var text = new byte[Size];
        BenchPayload.Write(text, 7, sender, sequence, timestamp: 0);
        return Encoding.ASCII.GetBytes((room is null ? "" : room + " ") + $"<guest-{sender}> " + Encoding.ASCII.GetString(text) + "\r\n");
    }

    private static byte[] RespMessage(string channel, uint run, int sender)
    {
        var text = new byte[Size];
        BenchPayload.Write(text, run, sender, 0, timestamp: 0);
        return RespFrames.Command("message", channel, Encoding.ASCII.GetString(text));
    }
}
