using System.Diagnostics;
using System.Security.Cryptography;
using CatChat.Bench.Reporting;
using CatChat.Bench.Targets;

namespace CatChat.Bench.Scenarios;

/// <summary>
/// Many rooms: R rooms of M members (<see cref="RoomLayout"/>), S senders in all, each sending to its own room only.
/// CatChat: every client connects, sends <c>/join #r-ROOM</c> and counts as in once CatChat confirms the join; its
/// plain lines then go to that room. Redis: every receiver SUBSCRIBEs to channel r-ROOM and senders PUBLISH there,
/// from connections of their own. Then the fanout scenario's closed loop or fixed rate, warm-up, measured period
/// and drain (<see cref="FanoutScenario.MeasureAsync"/>); every receiver checks that each message of its room
/// arrives once, and that none from another room does (misrouted).
/// </summary>
internal static class RoomsScenario
{
    // Joined and closed before the memory baseline, so what a first join warms up (code compiled at first call, pools)
    // is in the baseline and not charged to the clients, as the idle scenario does with its 20.
    private const int WarmClients = 20;

    public static async Task<RunResult> RunAsync(BenchTarget target, RunPoint point, ScenarioSettings settings, RunResult template, CancellationToken cancellationToken)
    {
        var layout = point.Rooms ?? throw new ArgumentException("a rooms run needs its rooms", nameof(point));
        if (point.Rate == 0 && layout.Members < 2)
        {
            // A sender's lines go to the others of its room; with none, a closed loop would have nothing to wait for.
            return template with { Error = "a closed loop needs at least 2 members per room; give --rate" };
        }

        var connections = layout.Clients + (target.SendersAreReceivers ? 0 : layout.Senders);
        if (LoadgenLimits.CheckOwn(connections + WarmClients) is { } ownLimit)
        {
            return template with { Error = ownLimit };
        }

        target.ExpectRooms(layout.Rooms);
        await target.StartAsync(connections, cancellationToken);
        if (LoadgenLimits.CheckServer(target, connections + WarmClients) is { } serverLimit)
        {
            return template with { Error = serverLimit };
        }

        long? before = null;
        if (target.Pid is { } pid)
        {
            var warm = await ConnectAsync(target, layout, null, WarmClients, connections, settings, cancellationToken);
            foreach (var client in warm)
            {
                client.Dispose();
            }

            before = await IdleScenario.SettledResidentKibAsync(pid, cancellationToken);
        }

        var run = new FanoutRun(
            (uint)RandomNumberGenerator.GetInt32(int.MaxValue), point.Size, layout.Senders, point.Rate > 0 ? 0 : settings.Window,
            target.Nodes > 1 ? target.NodeOf : null, layout);
        var joinStart = Stopwatch.GetTimestamp();
        var receivers = await ConnectAsync(target, layout, run, layout.Clients, connections, settings, cancellationToken);
        var joinSeconds = Stopwatch.GetElapsedTime(joinStart).TotalSeconds;
        BenchClient[] publishers = [];
        try
        {
            publishers = target.SendersAreReceivers
                ? []
                : await Connector.ConnectManyAsync(layout.Senders, settings.ConnectParallelism, (i, token) => BenchClient.ConnectAsync(
                    target.EndPoint, Connector.SourceFor(layout.Clients + i, connections, target.EndPoint), target.Parser, ReadOnlyMemory<byte>.Empty,
                    waitForReady: false, run: null, ownSender: -1, token), cancellationToken);
            long? after = target.Pid is { } joinedPid ? await IdleScenario.SettledResidentKibAsync(joinedPid, cancellationToken) : null;
            var sendSockets = target.SendersAreReceivers ? receivers[..layout.Senders] : publishers;
            var receiversPerMessage = target.SendersAreReceivers ? layout.Members - 1 : layout.Members;
            var result = await FanoutScenario.MeasureAsync(
                target, point, settings, template, run, receivers, sendSockets,
                sender => target.CreateRoomMessage(point.Size, RoomLayout.Name(layout.RoomOf(sender))), receiversPerMessage, joinSeconds, cancellationToken);
            return result with
            {
                Connections = layout.Clients,
                RssBeforeKb = before,
                RssAfterKb = after,
                KbPerConnection = before is { } b && after is { } a ? Math.Round((a - b) / (double)layout.Clients, 2) : null,
            };
        }
        finally
        {
            foreach (var client in receivers.Concat(publishers))
            {
                client.Dispose();
            }
        }
    }

    // Client i joins room i mod R and is taken in once the server has confirmed it (CatChat) or the subscription (Redis).
    // With no run, these are the warm clients: they join the first rooms and receive nothing of a run.
    private static Task<BenchClient[]> ConnectAsync(
        BenchTarget target, RoomLayout layout, FanoutRun? run, int count, int connections, ScenarioSettings settings, CancellationToken cancellationToken) =>
        Connector.ConnectManyAsync(count, settings.ConnectParallelism, (i, token) =>
        {
            var room = layout.RoomOf(i);
            var endPoint = target.EndPointFor(i);
            var sender = run is not null && target.SendersAreReceivers && i < layout.Senders ? i : -1;
            return BenchClient.ConnectAsync(
                endPoint, Connector.SourceFor(i, connections, endPoint), target.RoomParser, target.JoinRoomRequest(RoomLayout.Name(room)),
                waitForReady: true, run, sender, token, target.NodeOf(i), run is null ? -1 : room);
        }, cancellationToken);
}
