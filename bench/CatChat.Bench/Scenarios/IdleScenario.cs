using System.Diagnostics;
using CatChat.Bench.Measurement;
using CatChat.Bench.Reporting;
using CatChat.Bench.Targets;

namespace CatChat.Bench.Scenarios;

/// <summary>
/// Memory per idle connection: the server's resident memory once it has settled, before and after N clients
/// connect and join (CatChat: the welcome notice; Redis: subscribed to the channel) and then say nothing.
/// </summary>
internal static class IdleScenario
{
    // A few connections before the baseline, so code paths and pools that any first client warms are in it.
    private const int WarmClients = 20;

    public static async Task<RunResult> RunAsync(BenchTarget target, RunPoint point, ScenarioSettings settings, RunResult template, CancellationToken cancellationToken)
    {
        var connections = point.N + WarmClients;
        if (LoadgenLimits.CheckOwn(connections) is { } ownLimit)
        {
            return template with { Error = ownLimit };
        }

        await target.StartAsync(connections, cancellationToken);
        if (LoadgenLimits.CheckServer(target, connections) is { } serverLimit)
        {
            return template with { Error = serverLimit };
        }

        if (target.Pid is not { } pid)
        {
            return template with { Error = "the idle scenario reads the server's memory: give --server-pid for a server this tool did not start" };
        }

        var clients = new List<BenchClient>();
        try
        {
            clients.AddRange(await ConnectAsync(target, 0, WarmClients, connections, settings, cancellationToken));
            var before = await SettledResidentKibAsync(pid, cancellationToken);
            var connectStart = Stopwatch.GetTimestamp();
            clients.AddRange(await ConnectAsync(target, WarmClients, point.N, connections, settings, cancellationToken));
            var connectSeconds = Stopwatch.GetElapsedTime(connectStart).TotalSeconds;
            var after = await SettledResidentKibAsync(pid, cancellationToken);
            var failed = clients.Count(c => c.Failure is not null);
            return template with
            {
                ConnectS = Math.Round(connectSeconds, 3),
                Connections = point.N,
                RssBeforeKb = before,
                RssAfterKb = after,
                KbPerConnection = Math.Round((after - before) / (double)point.N, 2),
                ServerPeakRssKb = ProcessStats.PeakResidentKib(pid),
                Disconnected = failed,
                Error = failed > 0 ? $"{failed} idle clients were disconnected" : null,
            };
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static Task<BenchClient[]> ConnectAsync(BenchTarget target, int first, int count, int all, ScenarioSettings settings, CancellationToken cancellationToken) =>
        Connector.ConnectManyAsync(count, settings.ConnectParallelism, (i, token) => BenchClient.ConnectAsync(
            target.EndPoint, Connector.SourceFor(first + i, all, target.EndPoint), target.Parser, target.JoinRequest, waitForReady: true,
            run: null, ownSender: -1, token), cancellationToken);

    /// <summary>
    /// Resident memory at rest: sampled every 250 ms until it has stayed within 0.5 % (or 256 KiB) for 3 s, at most
    /// 30 s; then the last sample. Three seconds let whatever a server does once a burst is over (a collection of
    /// the burst's garbage, a pool's trim) happen before the figure is taken, for every target alike.
    /// </summary>
    private static async Task<long> SettledResidentKibAsync(int pid, CancellationToken cancellationToken)
    {
        const int StableSamples = 12;
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        var samples = new List<long>();
        while (true)
        {
            samples.Add(ProcessStats.ResidentKib(pid) ?? throw new InvalidOperationException("the server has exited"));
            if (samples.Count >= StableSamples)
            {
                var last = samples.TakeLast(StableSamples).ToArray();
                var spread = last.Max() - last.Min();
                if (spread <= Math.Max(256, last.Max() / 200) || Stopwatch.GetTimestamp() > deadline)
                {
                    return last[^1];
                }
            }

            await Task.Delay(250, cancellationToken);
        }
    }
}
