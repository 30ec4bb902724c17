using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using CatChat.Bench.Measurement;
using CatChat.Bench.Reporting;
using CatChat.Bench.Targets;
using CatChat.Bench.Wire;

namespace CatChat.Bench.Scenarios;

/// <summary>
/// N receivers, S senders. Closed loop: each sender keeps at most W messages in flight (not yet at every receiver)
/// and sends the next as soon as one arrives everywhere. Fixed rate: a total rate spread over the senders, paced by
/// the clock, never by delivery. Every receiver checks every message; the measured period follows a warm-up.
/// </summary>
internal static class FanoutScenario
{
    public static async Task<RunResult> RunAsync(BenchTarget target, RunPoint point, ScenarioSettings settings, RunResult template, CancellationToken cancellationToken)
    {
        var senders = Math.Min(settings.Senders, point.N);
        var connections = point.N + (target.SendersAreReceivers ? 0 : senders);
        if (LoadgenLimits.CheckOwn(connections) is { } ownLimit)
        {
            return template with { Error = ownLimit };
        }

        await target.StartAsync(connections, cancellationToken);
        if (LoadgenLimits.CheckServer(target, connections) is { } serverLimit)
        {
            return template with { Error = serverLimit };
        }

        var run = new FanoutRun(
            (uint)RandomNumberGenerator.GetInt32(int.MaxValue), point.Size, senders, point.Rate > 0 ? 0 : settings.Window,
            target.Nodes > 1 ? target.NodeOf : null)
        {
            EchoesToSender = target.EchoesToSender,
        };
        var connectStart = Stopwatch.GetTimestamp();
        var receivers = await Connector.ConnectManyAsync(point.N, settings.ConnectParallelism, (i, token) => BenchClient.ConnectAsync(
            target.EndPointFor(i), Connector.SourceFor(i, connections, target.EndPointFor(i)), target.Parser, target.JoinRequestFor(i), waitForReady: true,
            run, target.SendersAreReceivers && i < senders ? i : -1, token, target.NodeOf(i),
            welcomeReply: target.WelcomeReply(i, sender: target.SendersAreReceivers && i < senders)), cancellationToken);
        BenchClient[] publishers = [];
        try
        {
            publishers = target.SendersAreReceivers
                ? []
                : await Connector.ConnectManyAsync(senders, settings.ConnectParallelism, (i, token) => BenchClient.ConnectAsync(
                    target.EndPoint, Connector.SourceFor(point.N + i, connections, target.EndPoint), target.Parser, ReadOnlyMemory<byte>.Empty,
                    waitForReady: false, run: null, ownSender: -1, token), cancellationToken);
            var connectSeconds = Stopwatch.GetElapsedTime(connectStart).TotalSeconds;
            var sendSockets = target.SendersAreReceivers ? receivers[..senders] : publishers;
            var receiversPerMessage = target.SendersAreReceivers ? point.N - 1 : point.N;
            return await MeasureAsync(
                target, point, settings, template, run, receivers, sendSockets, _ => target.CreateMessage(point.Size), receiversPerMessage, connectSeconds, cancellationToken);
        }
        finally
        {
            foreach (var client in receivers.Concat(publishers))
            {
                client.Dispose();
            }
        }
    }

    /// <summary>
    /// Sends and receives with every client connected and taken in: the warm-up, the measured period, the drain, and
    /// the run's figures. <paramref name="messageFor"/> gives sender s its message (framed for its room, in rooms).
    /// Shared with <see cref="RoomsScenario"/>, whose runs differ only in who hears whom (<see cref="FanoutRun.Rooms"/>).
    /// </summary>
    internal static async Task<RunResult> MeasureAsync(
        BenchTarget target, RunPoint point, ScenarioSettings settings, RunResult template, FanoutRun run, BenchClient[] receivers,
        BenchClient[] sendSockets, Func<int, OutgoingMessage> messageFor, int receiversPerMessage, double connectSeconds, CancellationToken cancellationToken)
    {
        var outcomes = sendSockets.Select(_ => new SenderOutcome()).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var start = Stopwatch.GetTimestamp();
        var sending = Enumerable.Range(0, sendSockets.Length).Select(s => Task.Run(
            () => SendAsync(messageFor(s), run, s, sendSockets[s].Socket, point, settings, receiversPerMessage, start, outcomes[s], stop.Token),
            CancellationToken.None)).ToArray();

        await Task.Delay(settings.Warmup, cancellationToken);
        var serverCpuStart = ServerCpuSeconds(target);
        var ownCpuStart = ProcessStats.CpuSeconds(Environment.ProcessId);
        var (stampedBefore, unstampedBefore) = (UringReceiver.Shared?.StampedReceives ?? 0, UringReceiver.Shared?.UnstampedReceives ?? 0);
        var measureStart = Stopwatch.GetTimestamp();
        run.BeginMeasuring(measureStart);

        await Task.Delay(settings.Measure, cancellationToken);
        var measureEnd = Stopwatch.GetTimestamp();
        run.EndMeasuring(measureEnd);
        var serverCpuEnd = ServerCpuSeconds(target);
        var ownCpuEnd = ProcessStats.CpuSeconds(Environment.ProcessId);
        var stamped = (UringReceiver.Shared?.StampedReceives ?? 0) - stampedBefore;
        var unstamped = (UringReceiver.Shared?.UnstampedReceives ?? 0) - unstampedBefore;

        await stop.CancelAsync();
        await Task.WhenAll(sending);
        await DrainAsync(target, run, receivers, outcomes, settings.DrainTimeout, cancellationToken);

        var seconds = (measureEnd - measureStart) / (double)Stopwatch.Frequency;
        var total = run.Total();
        var latency = total.Latency;
        var loadgenCpu = ownCpuEnd - ownCpuStart;
        var failures = receivers.Union(sendSockets).Where(c => c.Failure is not null).Select(c => c.Failure).Concat(outcomes.Select(o => o.Failure)).Where(f => f is not null).ToArray();
        return template with
        {
            ConnectS = Math.Round(connectSeconds, 3),
            MeasureS = Math.Round(seconds, 3),
            Deliveries = total.Deliveries,
            DeliveriesPerS = Math.Round(total.Deliveries / seconds, 1),
            Sent = outcomes.Sum(o => o.Sent),
            SendsPerS = Math.Round(outcomes.Sum(o => o.SentInPeriod) / seconds, 1),
            P50Us = Microseconds(latency.ValueAt(0.50)),
            P90Us = Microseconds(latency.ValueAt(0.90)),
            P99Us = Microseconds(latency.ValueAt(0.99)),
            P999Us = Microseconds(latency.ValueAt(0.999)),
            MaxUs = Microseconds(latency.Max),
            MeanUs = latency.Count == 0 ? 0 : Math.Round(LatencyHistogram.ToMicroseconds((long)(latency.Sum / latency.Count)), 1),
            Losses = Losses(target, run, receivers, outcomes),
            Duplicates = receivers.Sum(r => r.Duplicates),
            Reorders = receivers.Sum(r => r.Reorders),
            Malformed = receivers.Sum(r => r.Malformed),
            Misrouted = run.Rooms is null ? null : receivers.Sum(r => r.Misrouted),
            Stalled = outcomes.Any(o => o.Stalled),
            Disconnected = receivers.Count(r => r.Failure is not null),
            ServerCpuS = serverCpuEnd - serverCpuStart is { } cpu ? Math.Round(cpu, 2) : null,
            ServerPeakRssKb = SumOver(target, ProcessStats.PeakResidentKib),
            ServerRssKb = SumOver(target, ProcessStats.ResidentKib),
            P50LocalUs = total.LocalLatency.Count == 0 ? null : Microseconds(total.LocalLatency.ValueAt(0.50)),
            P99LocalUs = total.LocalLatency.Count == 0 ? null : Microseconds(total.LocalLatency.ValueAt(0.99)),
            P50RemoteUs = total.RemoteLatency.Count == 0 ? null : Microseconds(total.RemoteLatency.ValueAt(0.50)),
            P99RemoteUs = total.RemoteLatency.Count == 0 ? null : Microseconds(total.RemoteLatency.ValueAt(0.99)),
            LoadgenCpuS = loadgenCpu is { } own ? Math.Round(own, 2) : null,
            LoadgenSaturated = loadgenCpu is { } used && used / seconds >= 0.9,
            LatencyEndsAt = stamped == 0 ? "read" : unstamped == 0 ? "socket" : "mixed",
            ReadLagP99Us = Microseconds(total.ReadLag.ValueAt(0.99)),
            Error = failures.Length == 0 ? null : $"{failures.Length} clients failed, first: {failures[0]}",
        };
    }

    private static async Task SendAsync(
        OutgoingMessage message, FanoutRun run, int sender, Socket socket, RunPoint point, ScenarioSettings settings,
        int receiversPerMessage, long start, SenderOutcome outcome, CancellationToken stop)
    {
        BenchPayload.Write(message.Text.Span, run.Id, sender, 0, 0);
        var window = run.Windows?[sender];

        // Fixed rate: message k of this sender is due at (k * S + sender) / rate seconds, so the senders interleave evenly.
        var ticksPerMessage = point.Rate > 0 ? Stopwatch.Frequency * run.Senders / point.Rate : 0;
        var offset = point.Rate > 0 ? Stopwatch.Frequency * sender / point.Rate : 0;
        try
        {
            for (uint sequence = 0; !stop.IsCancellationRequested; sequence++)
            {
                if (window is not null)
                {
                    if (!await window.WaitForSlotAsync(sequence, settings.StallTimeout, stop))
                    {
                        outcome.Stalled = true;
                        return;
                    }

                    window.Claim(sequence, receiversPerMessage);
                }
                else
                {
                    var due = start + (long)(offset + (sequence * ticksPerMessage));
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, stop);
                    }
                }

                var now = Stopwatch.GetTimestamp();
                BenchPayload.Restamp(message.Text.Span, sequence, now);
                await socket.SendAsync(message.Bytes, SocketFlags.None, CancellationToken.None);
                outcome.Sent = sequence + 1;
                if (run.InMeasuredPeriod(now))
                {
                    outcome.SentInPeriod++;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            outcome.Failure = "send failed: " + ex.Message;
        }
    }

    // Sending has stopped: wait until every receiver has every message sent to it, or the time is up.
    private static async Task DrainAsync(BenchTarget target, FanoutRun run, BenchClient[] receivers, SenderOutcome[] outcomes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Losses(target, run, receivers, outcomes) > 0 && Stopwatch.GetTimestamp() < deadline && receivers.All(r => r.Failure is null))
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    private static long Losses(BenchTarget target, FanoutRun run, BenchClient[] receivers, SenderOutcome[] outcomes)
    {
        // What was sent to each room (fanout: one room, every sender's); a receiver expects its room's, less its own.
        var layout = run.Rooms;
        var sentTo = new long[layout?.Rooms ?? 1];
        for (var s = 0; s < outcomes.Length; s++)
        {
            sentTo[layout?.RoomOf(s) ?? 0] += outcomes[s].Sent;
        }

        long missing = 0;
        foreach (var receiver in receivers)
        {
            var sent = sentTo[layout is null ? 0 : receiver.Room];
            var expected = receiver.OwnSender >= 0 && target.SendersAreReceivers ? sent - outcomes[receiver.OwnSender].Sent : sent;
            missing += Math.Max(0, expected - receiver.Unique);
        }

        return missing;
    }

    // A cluster's figures are its nodes' and its Redis's together.
    private static double? ServerCpuSeconds(BenchTarget target) => SumOver(target, ProcessStats.CpuSeconds);

    private static T? SumOver<T>(BenchTarget target, Func<int, T?> figure)
        where T : struct, System.Numerics.INumber<T>
    {
        var pids = target.ServerPids;
        if (pids.Count == 0)
        {
            return null;
        }

        var sum = T.Zero;
        foreach (var pid in pids)
        {
            if (figure(pid) is not { } value)
            {
                return null;
            }

            sum += value;
        }

        return sum;
    }

    private static double Microseconds(long ticks) => Math.Round(LatencyHistogram.ToMicroseconds(ticks), 1);

    private sealed class SenderOutcome
    {
        public long Sent { get; set; }

        public long SentInPeriod { get; set; }

        public bool Stalled { get; set; }

        public string? Failure { get; set; }
    }
}
