using System.Diagnostics;
using CatChat.Bench.Measurement;
using CatChat.Bench.Reporting;
using CatChat.Bench.Targets;

namespace CatChat.Bench.Scenarios;

/// <summary>
/// Memory per idle connection: the server's resident memory once it has settled, before and after N clients
/// connect and join (CatChat: the welcome notice; Redis: subscribed to the channel) and then say nothing. When
/// the clients do not fit in this process's open-files limit, they are spread over load-generator processes
/// started for the purpose (<see cref="HolderProcess"/>); this process keeps the warm clients and measures.
/// </summary>
internal static class IdleScenario
{
    // A few connections before the baseline, so code paths and pools that any first client warms are in it.
    private const int WarmClients = 20;

    // A bound on a spread run's processes, against a --max-per-process far too small for N.
    private const int MaxProcesses = 32;

    // A holder bounds each of its clients (30 s); this is only the last guard against one that stops answering.
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(10);

    public static async Task<RunResult> RunAsync(BenchTarget target, RunPoint point, ScenarioSettings settings, RunResult template, CancellationToken cancellationToken)
    {
        var connections = point.N + WarmClients;
        var perProcess = Math.Min(LoadgenLimits.ClientsPerProcess() ?? long.MaxValue, settings.MaxClientsPerProcess ?? long.MaxValue);
        if (connections > perProcess)
        {
            if (target is IrcTarget)
            {
                // A holder process would need the IRC clients' nicknames and JOIN; irc-idle runs at N = 1,000.
                return template with { Error = $"{connections} IRC clients need more than one load-generator process, which irc-idle does not do" };
            }

            return await RunSpreadAsync(target, point, settings, template, (int)perProcess, cancellationToken);
        }

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

    /// <summary>
    /// The run with N spread evenly over as few holder processes as their open-files limit allows. All are started
    /// and waiting before the baseline, so the connect time leaves out their start-up; then they connect one after
    /// another, each as this process would (the same parallelism), not all at once: processes sharing the load
    /// generator's core slowed each other down (at N = 15,000 over 3: 1.7 to 2.7 times the connect time).
    /// Once one has failed, the rest are not started: a server that stopped accepting would fail them all.
    /// </summary>
    private static async Task<RunResult> RunSpreadAsync(
        BenchTarget target, RunPoint point, ScenarioSettings settings, RunResult template, int perProcess, CancellationToken cancellationToken)
    {
        var connections = point.N + WarmClients;
        var processes = perProcess < 1 ? int.MaxValue : (point.N + perProcess - 1) / perProcess;
        if (processes > MaxProcesses)
        {
            return template with { Error = $"{point.N} idle clients at {perProcess} per load-generator process would need more than {MaxProcesses} processes" };
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

        var warm = Array.Empty<BenchClient>();
        var holders = new List<HolderProcess>();
        try
        {
            warm = await ConnectAsync(target, 0, WarmClients, connections, settings, cancellationToken);
            for (var k = 0; k < processes; k++)
            {
                var first = WarmClients + (int)((long)point.N * k / processes);
                var next = WarmClients + (int)((long)point.N * (k + 1) / processes);
                holders.Add(HolderProcess.Start(target, first, next - first, connections, settings.ConnectParallelism, settings.PinLoadgen));
            }

            foreach (var holder in holders)
            {
                await holder.WaitUntilWaitingAsync(cancellationToken);
            }

            var before = await SettledResidentKibAsync(pid, cancellationToken);
            var connectStart = Stopwatch.GetTimestamp();
            var held = 0;
            foreach (var holder in holders)
            {
                holder.Go();
                var (connected, failed, firstFailure) = await holder.WaitUntilReadyAsync(ReadyTimeout, cancellationToken);
                held += connected;
                if (failed > 0)
                {
                    return template with
                    {
                        ConnectS = Math.Round(Stopwatch.GetElapsedTime(connectStart).TotalSeconds, 3),
                        Connections = held,
                        ServerPeakRssKb = ProcessStats.PeakResidentKib(pid),
                        Error = $"{point.N - held} of {point.N} idle clients were not connected ({firstFailure}); {held} were held",
                    };
                }
            }

            var connectSeconds = Math.Round(Stopwatch.GetElapsedTime(connectStart).TotalSeconds, 3);
            var after = await SettledResidentKibAsync(pid, cancellationToken);
            var peak = ProcessStats.PeakResidentKib(pid);
            var disconnected = warm.Count(c => c.Failure is not null);
            foreach (var holder in holders)
            {
                disconnected += await holder.QuitAsync(cancellationToken);
            }

            return template with
            {
                ConnectS = connectSeconds,
                Connections = held,
                RssBeforeKb = before,
                RssAfterKb = after,
                KbPerConnection = Math.Round((after - before) / (double)point.N, 2),
                ServerPeakRssKb = peak,
                Disconnected = disconnected,
                Error = disconnected > 0 ? $"{disconnected} idle clients were disconnected" : null,
            };
        }
        finally
        {
            foreach (var holder in holders)
            {
                holder.Dispose();
            }

            foreach (var client in warm)
            {
                client.Dispose();
            }
        }
    }

    private static Task<BenchClient[]> ConnectAsync(BenchTarget target, int first, int count, int all, ScenarioSettings settings, CancellationToken cancellationToken) =>
        Connector.ConnectManyAsync(count, settings.ConnectParallelism, (i, token) => BenchClient.ConnectAsync(
            target.EndPoint, Connector.SourceFor(first + i, all, target.EndPoint), target.Parser, target.JoinRequestFor(first + i), waitForReady: true,
            run: null, ownSender: -1, token, welcomeReply: target.WelcomeReply(first + i, sender: false)), cancellationToken);

    /// <summary>
    /// Resident memory at rest: sampled every 250 ms until it has stayed within 0.5 % (or 256 KiB) for 3 s, at most
    /// 30 s; then the last sample. Three seconds let whatever a server does once a burst is over (a collection of
    /// the burst's garbage, a pool's trim) happen before the figure is taken, for every target alike.
    /// </summary>
    internal static async Task<long> SettledResidentKibAsync(int pid, CancellationToken cancellationToken)
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
