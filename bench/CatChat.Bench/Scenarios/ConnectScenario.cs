using System.Diagnostics;
using System.Net.Sockets;
using CatChat.Bench.Measurement;
using CatChat.Bench.Reporting;
using CatChat.Bench.Targets;

namespace CatChat.Bench.Scenarios;

/// <summary>
/// New connections per second: workers connect, wait for the server's first line (CatChat's banner; Redis answers
/// the PING it is sent) and close, over and over, for the warm-up and then the measured period.
/// </summary>
internal static class ConnectScenario
{
    public static async Task<RunResult> RunAsync(BenchTarget target, RunPoint point, ScenarioSettings settings, RunResult template, CancellationToken cancellationToken)
    {
        await target.StartAsync(settings.ConnectWorkers, cancellationToken);
        var counts = Enumerable.Range(0, settings.ConnectWorkers).Select(_ => new Tally()).ToArray();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long measureStart = long.MaxValue, measureEnd = long.MaxValue;
        bool Measured(long t) => t >= Volatile.Read(ref measureStart) && t < Volatile.Read(ref measureEnd);
        var workers = Enumerable.Range(0, counts.Length).Select(w => Task.Run(
            () => WorkAsync(target, counts[w], Measured, stop.Token), CancellationToken.None)).ToArray();

        await Task.Delay(settings.Warmup, cancellationToken);
        var serverCpuStart = target.Pid is { } pid ? ProcessStats.CpuSeconds(pid) : null;
        var ownCpuStart = ProcessStats.CpuSeconds(Environment.ProcessId);
        Volatile.Write(ref measureStart, Stopwatch.GetTimestamp());
        await Task.Delay(settings.Measure, cancellationToken);
        Volatile.Write(ref measureEnd, Stopwatch.GetTimestamp());
        var serverCpuEnd = target.Pid is { } pid2 ? ProcessStats.CpuSeconds(pid2) : null;
        var ownCpuEnd = ProcessStats.CpuSeconds(Environment.ProcessId);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var seconds = (measureEnd - measureStart) / (double)Stopwatch.Frequency;
        var connections = counts.Sum(c => c.Connections);
        var failures = counts.Sum(c => c.Failures);
        var loadgenCpu = ownCpuEnd - ownCpuStart;
        return template with
        {
            MeasureS = Math.Round(seconds, 3),
            Connections = connections,
            ConnectsPerS = Math.Round(connections / seconds, 1),
            Failures = failures,
            ServerCpuS = serverCpuEnd - serverCpuStart is { } cpu ? Math.Round(cpu, 2) : null,
            ServerPeakRssKb = target.Pid is { } pid3 ? ProcessStats.PeakResidentKib(pid3) : null,
            LoadgenCpuS = loadgenCpu is { } own ? Math.Round(own, 2) : null,
            LoadgenSaturated = loadgenCpu is { } used && used / seconds >= 0.9,
            Error = failures > 0 ? counts.Select(c => c.FirstError).FirstOrDefault(e => e is not null) : null,
        };
    }

    private static async Task WorkAsync(BenchTarget target, Tally tally, Func<long, bool> measured, CancellationToken stop)
    {
        var buffer = new byte[4096];
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var socket = new Socket(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(target.EndPoint, stop);
                if (!target.ProbeRequest.IsEmpty)
                {
                    await socket.SendAsync(target.ProbeRequest, SocketFlags.None, stop);
                }

                var filled = 0;
                while (Array.IndexOf(buffer, (byte)'\n', 0, filled) < 0)
                {
                    var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stop);
                    if (read == 0 || (filled += read) == buffer.Length)
                    {
                        throw new IOException("no first line from the server");
                    }
                }

                if (measured(Stopwatch.GetTimestamp()))
                {
                    tally.Connections++;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                tally.Failures++;
                tally.FirstError ??= ex.Message;
            }
        }
    }

    private sealed class Tally
    {
        public long Connections { get; set; }

        public long Failures { get; set; }

        public string? FirstError { get; set; }
    }
}
