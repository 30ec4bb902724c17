using System.Globalization;
using CatChat.Bench.Reporting;
using CatChat.Bench.Targets;
using Microsoft.Extensions.Logging;

namespace CatChat.Bench.Scenarios;

/// <summary>
/// Runs every point of the matrix, each repeat on every target in turn (catchat, redis, catchat, redis, ...), so
/// slow drifts of a shared machine fall on both alike; each run gets a fresh server and one line in the results.
/// </summary>
internal static class MatrixRunner
{
    public static async Task RunAsync(BenchOptions options, string resultsPath, ILogger logger, CancellationToken cancellationToken)
    {
        var targetOptions = new TargetOptions(options.Build, options.Settings.PinServer);
        var sends = options.Command is "fanout" or "rooms" or "irc";
        var rates = sends ? options.Rates : [0];
        var sizes = sends ? options.Sizes : [0];
        RoomLayout?[] layouts = options.Command == "rooms" ? [.. options.RoomLayouts()] : [null];
        var points =
            from rate in rates
            from size in sizes
            from layout in layouts
            from n in layout is null ? options.Clients : [layout.Clients]
            select (n, size, rate, layout);
        foreach (var (n, size, rate, layout) in points)
        {
            for (var repeat = 1; repeat <= options.Repeat; repeat++)
            {
                foreach (var spec in options.Targets)
                {
                    var point = new RunPoint(options.Command, n, size, rate, repeat, layout);
                    var result = await RunOneAsync(spec, point, options, targetOptions, logger, cancellationToken);
                    ResultsFile.Append(resultsPath, result);
                }
            }
        }
    }

    public static async Task<RunResult> RunOneAsync(
        TargetSpec spec, RunPoint point, BenchOptions options, TargetOptions targetOptions, ILogger logger, CancellationToken cancellationToken)
    {
        var settings = options.Settings;
        BenchLog.RunStarting(logger, point.Scenario, spec.ToString(), point.N, point.Size,
            point.Scenario is not ("fanout" or "rooms" or "irc") ? "-" : point.Rate > 0 ? point.Rate.ToString("0.#", CultureInfo.InvariantCulture) + "/s" : "closed loop", point.Repeat);
        var template = new RunResult
        {
            Scenario = point.Scenario,
            Target = spec.ToString(),
            N = point.N,
            Senders = point.Rooms?.Senders ?? (point.Scenario is "fanout" or "irc" ? Math.Min(settings.Senders, point.N) : 0),
            Rooms = point.Rooms?.Rooms,
            Members = point.Rooms?.Members,
            Size = point.Size,
            Rate = point.Rate,
            Window = point.Scenario is "fanout" or "rooms" or "irc" && point.Rate == 0 ? settings.Window : 0,
            Repeat = point.Repeat,
            WarmupS = settings.Warmup.TotalSeconds,
            MeasureS = settings.Measure.TotalSeconds,
            Timestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            PinServer = settings.PinServer,
            PinLoadgen = settings.PinLoadgen,
        };

        RunResult result;
        await using (var target = spec.Create(targetOptions, options.ServerPid))
        {
            try
            {
                result = point.Scenario switch
                {
                    // irc and irc-idle are fanout and idle on IRC servers: one channel, clients that register and join.
                    "fanout" or "irc" => await FanoutScenario.RunAsync(target, point, settings, template, cancellationToken),
                    "rooms" => await RoomsScenario.RunAsync(target, point, settings, template, cancellationToken),
                    "idle" or "irc-idle" => await IdleScenario.RunAsync(target, point, settings, template, cancellationToken),
                    _ => await ConnectScenario.RunAsync(target, point, settings, template, cancellationToken),
                };
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result = template with { Error = ex.GetType().Name + ": " + ex.Message };
            }
        }

        if (result.Error is not null)
        {
            BenchLog.RunFailed(logger, result.Target, result.Error);
        }

        if (result.Deliveries is not null || result.KbPerConnection is not null || result.ConnectsPerS is not null)
        {
            BenchLog.RunFinished(logger, Summary(result));
        }

        return result;
    }

    private static string Summary(RunResult r) => r.Scenario switch
    {
        "fanout" or "irc" => string.Create(CultureInfo.InvariantCulture,
            $"{r.Target}: {r.DeliveriesPerS:N0} deliveries/s ({r.SendsPerS:N0} sends/s), latency p50 {r.P50Us:0.#} p99 {r.P99Us:0.#} p99.9 {r.P999Us:0.#} max {r.MaxUs:0.#} µs{(r.LatencyEndsAt is null ? "" : $" at the {r.LatencyEndsAt}, read lag p99 {r.ReadLagP99Us:0.#} µs")}{(r.P50RemoteUs is null ? "" : $" (same node p50 {r.P50LocalUs:0.#} p99 {r.P99LocalUs:0.#}, across nodes p50 {r.P50RemoteUs:0.#} p99 {r.P99RemoteUs:0.#})")}; loss {r.Losses} dup {r.Duplicates} reorder {r.Reorders}; server CPU {r.ServerCpuS:0.##} s, peak RSS {r.ServerPeakRssKb / 1024.0:0.#} MiB; loadgen CPU {r.LoadgenCpuS:0.##} s{(r.LoadgenSaturated == true ? " (SATURATED)" : "")}; connect {r.ConnectS:0.##} s"),
        "idle" or "irc-idle" => string.Create(CultureInfo.InvariantCulture,
            $"{r.Target}: {r.KbPerConnection:0.##} KiB per idle connection (RSS {r.RssBeforeKb} -> {r.RssAfterKb} KiB, {r.Connections:N0} of N={r.N} held, {r.Disconnected} disconnected); server peak RSS {r.ServerPeakRssKb / 1024.0:0.#} MiB; connect {r.ConnectS:0.##} s"),
        "rooms" => string.Create(CultureInfo.InvariantCulture,
            $"{r.Target}: {r.Rooms:N0} rooms of {r.Members:N0}, {r.Senders:N0} senders: {r.DeliveriesPerS:N0} deliveries/s ({r.SendsPerS:N0} sends/s), latency p50 {r.P50Us:0.#} p99 {r.P99Us:0.#} max {r.MaxUs:0.#} µs; loss {r.Losses} dup {r.Duplicates} reorder {r.Reorders} misrouted {r.Misrouted}; server CPU {r.ServerCpuS:0.##} s, RSS {r.RssBeforeKb / 1024.0:0.#} -> {r.RssAfterKb / 1024.0:0.#} MiB joined ({r.KbPerConnection:0.##} KiB per client), peak {r.ServerPeakRssKb / 1024.0:0.#} MiB; loadgen CPU {r.LoadgenCpuS:0.##} s{(r.LoadgenSaturated == true ? " (SATURATED)" : "")}; connect and join {r.ConnectS:0.##} s"),
        _ => string.Create(CultureInfo.InvariantCulture,
            $"{r.Target}: {r.ConnectsPerS:N0} connects/s ({r.Failures} failures); server CPU {r.ServerCpuS:0.##} s; loadgen CPU {r.LoadgenCpuS:0.##} s{(r.LoadgenSaturated == true ? " (SATURATED)" : "")}"),
    };
}
