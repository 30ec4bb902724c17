using System.Globalization;
using System.Text;

namespace CatChat.Bench.Reporting;

/// <summary>
/// The results as Markdown tables: one row per point, the median of its repeats for each target, and the
/// CatChat/Redis ratio. Runs that failed are left out of the medians and counted in their own column. Where the
/// results hold several CatChat targets (catchat:epoll and catchat:io_uring, a cluster, another build as
/// catchat=before), each has its own rows, against the same Redis runs, and a last table sets each beside the first.
/// </summary>
internal static class MarkdownReport
{
    private const string SaturationNote =
        "Where the load generator was saturated (its CPU use reached 90 % of one core in the measured period), a throughput "
        + "figure is the load generator's limit, not the server's: the server had capacity to spare. Latency taken at the socket "
        + "leaves the load generator's delay in reading out (the read lag column shows it), but a saturated load generator "
        + "may still have paced its senders unevenly.";

    private const string LatencyNote =
        "Latency runs from the sender's timestamp, taken just before its send, to the kernel's stamp of the bytes' arrival at "
        + "the receiving socket (SO_TIMESTAMPNS; the stamp of the last packet of each read, so a message that came earlier in "
        + "the same read counts a little late). The load generator's own delay in reading them is the read lag, kept apart.";

    public static string Write(IReadOnlyList<RunResult> all)
    {
        var text = new StringBuilder();

        // The IRC runs have a report of their own (against IRC servers, not Redis), after the rest.
        var results = all.Where(r => r.Scenario is not ("irc" or "irc-idle")).ToArray();
        if (results.Length == 0 && all.Count > 0)
        {
            text.AppendLine("# CatChat's IRC port against IRC servers");
            text.AppendLine();
            text.AppendLine(Invariant($"{all.Count} runs; each figure is the median of the repeats of its point (`repeats` column)."));
            text.AppendLine();
            IrcReport.Write(text, all);
            return text.ToString();
        }

        text.AppendLine("# CatChat against Redis pub/sub");
        text.AppendLine();
        text.AppendLine(Invariant($"{all.Count} runs; each figure is the median of the repeats of its point (`repeats` column). ")
            + "Ratios are CatChat / Redis: above 1 means CatChat's figure is higher (better for deliveries/s, worse for latency and memory).");
        text.AppendLine();
        text.AppendLine("Deliveries are benchmark messages received by a receiving client for the first time, counted the same way on both: "
            + "on CatChat, N chat clients of which S also send (a sender never gets its own line, so a message reaches N - 1); "
            + "on Redis, N subscribers and S extra publisher connections (a message reaches N).");
        text.AppendLine();
        if (results.Any(r => r.LatencyEndsAt == "socket"))
        {
            text.AppendLine(LatencyNote);
            text.AppendLine();
        }

        var catchats = CatChatTargets(results);
        ClosedLoop(text, results.Where(r => r.Scenario == "fanout" && r.Rate == 0).ToArray(), catchats);
        FixedRate(text, results.Where(r => r.Scenario == "fanout" && r.Rate > 0).ToArray(), catchats);
        Rooms(text, results.Where(r => r.Scenario == "rooms").ToArray(), catchats);
        Idle(text, results.Where(r => r.Scenario == "idle").ToArray(), catchats);
        Connect(text, results.Where(r => r.Scenario == "connect").ToArray(), catchats);
        Compared(text, results, catchats);
        if (results.Any(r => r.LoadgenSaturated == true))
        {
            text.AppendLine("⚠ " + SaturationNote);
            text.AppendLine();
        }

        IrcReport.Write(text, all);
        return text.ToString();
    }

    private static void ClosedLoop(StringBuilder text, RunResult[] runs, IReadOnlyList<string> catchats)
    {
        if (runs.Length == 0)
        {
            return;
        }

        text.AppendLine("## Fan-out, closed loop (each sender keeps its window of messages in flight)");
        text.AppendLine();
        text.AppendLine(Lead(catchats, "target") + "| N | S | size | CatChat deliveries/s | Redis deliveries/s | ratio | CatChat p50 / p99 / p99.9 µs | Redis p50 / p99 / p99.9 µs | p99 ratio | server CPU s (C / R) | server peak RSS MiB (C / R) | loss / dup / reorder | loadgen saturated (C / R) | repeats | failed |");
        text.AppendLine(Lead(catchats, "---") + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|");
        foreach (var (point, target, c, r) in Rows(runs.GroupBy(r => (r.N, r.Senders, r.Size)).OrderBy(g => g.Key.Size).ThenBy(g => g.Key.N), catchats))
        {
            text.AppendLine(Lead(catchats, target) + Invariant($"| {point.Key.N:N0} | {point.Key.Senders} | {point.Key.Size} | {Number(c.Median(x => x.DeliveriesPerS))} | {Number(r.Median(x => x.DeliveriesPerS))} | {Ratio(c.Median(x => x.DeliveriesPerS), r.Median(x => x.DeliveriesPerS))} | {c.Latencies()} | {r.Latencies()} | {Ratio(c.Median(x => x.P99Us), r.Median(x => x.P99Us))} | {Fixed(c.Median(x => x.ServerCpuS))} / {Fixed(r.Median(x => x.ServerCpuS))} | {Mib(c.Median(x => x.ServerPeakRssKb))} / {Mib(r.Median(x => x.ServerPeakRssKb))} | {c.Faults()}; {r.Faults()} | {c.Saturation()} / {r.Saturation()} | {c.Repeats} / {r.Repeats} | {c.Failed + r.Failed} |"));
        }

        text.AppendLine();
    }

    private static void FixedRate(StringBuilder text, RunResult[] runs, IReadOnlyList<string> catchats)
    {
        if (runs.Length == 0)
        {
            return;
        }

        text.AppendLine("## Fan-out at a fixed total rate (paced by the clock, not by delivery)");
        text.AppendLine();
        text.AppendLine(Lead(catchats, "target") + "| rate msg/s | N | S | size | CatChat deliveries/s | Redis deliveries/s | CatChat p50 / p99 / p99.9 µs | Redis p50 / p99 / p99.9 µs | p99 ratio | loadgen read lag p99 µs (C / R) | server CPU % (C / R) | loss / dup / reorder | loadgen saturated (C / R) | repeats | failed |");
        text.AppendLine(Lead(catchats, "---") + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|");
        foreach (var (point, target, c, r) in Rows(runs.GroupBy(r => (r.Rate, r.N, r.Senders, r.Size)).OrderBy(g => g.Key.N).ThenBy(g => g.Key.Size).ThenBy(g => g.Key.Rate), catchats))
        {
            text.AppendLine(Lead(catchats, target) + Invariant($"| {point.Key.Rate:0.#} | {point.Key.N:N0} | {point.Key.Senders} | {point.Key.Size} | {Number(c.Median(x => x.DeliveriesPerS))} | {Number(r.Median(x => x.DeliveriesPerS))} | {c.Latencies()} | {r.Latencies()} | {Ratio(c.Median(x => x.P99Us), r.Median(x => x.P99Us))} | {Number(c.Median(x => x.ReadLagP99Us))} / {Number(r.Median(x => x.ReadLagP99Us))} | {Fixed(c.Median(CpuPercent))} / {Fixed(r.Median(CpuPercent))} | {c.Faults()}; {r.Faults()} | {c.Saturation()} / {r.Saturation()} | {c.Repeats} / {r.Repeats} | {c.Failed + r.Failed} |"));
        }

        text.AppendLine();
    }

    private static void Rooms(StringBuilder text, RunResult[] runs, IReadOnlyList<string> catchats)
    {
        if (runs.Length == 0)
        {
            return;
        }

        text.AppendLine("## Many rooms (each message goes to its sender's room only)");
        text.AppendLine();
        text.AppendLine("R rooms of M members, S senders in all (client k sends in room k mod R). CatChat: every client joined its room with /join; "
            + "a message reaches the M - 1 others. Redis: M subscribers per channel and S publishers; a message reaches M. "
            + "Per server CPU-second: deliveries in the measured period over the server's CPU seconds in it. "
            + "Join: how long all R × M clients took to connect and be confirmed in their rooms. KiB per client: growth of the "
            + "server's settled resident memory from before the clients connected to after they all joined, over R × M. "
            + "Misrouted: messages that reached a client outside their room (must be 0).");
        text.AppendLine();
        text.AppendLine(Lead(catchats, "target") + "| rooms | members | S | size | rate msg/s | CatChat deliveries/s | Redis deliveries/s | ratio | per server CPU-second (C / R) | ratio | CatChat p50 / p99 / p99.9 µs | Redis p50 / p99 / p99.9 µs | p99 ratio | join s (C / R) | KiB per client (C / R) | server peak RSS MiB (C / R) | loss / dup / reorder / misrouted | loadgen saturated (C / R) | repeats | failed |");
        text.AppendLine(Lead(catchats, "---") + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|");
        var points = runs.GroupBy(r => (r.Rooms, r.Members, r.Senders, r.Size, r.Rate))
            .OrderBy(g => g.Key.Rooms).ThenBy(g => g.Key.Members).ThenBy(g => g.Key.Size).ThenBy(g => g.Key.Rate);
        foreach (var (point, target, c, r) in Rows(points, catchats))
        {
            var rate = point.Key.Rate > 0 ? Number(point.Key.Rate) : Invariant($"closed loop (window {point.First().Window})");
            var faults = $"{c.Faults()} / {c.Sum(x => x.Misrouted)}; {r.Faults()} / {r.Sum(x => x.Misrouted)}";
            text.AppendLine(Lead(catchats, target) + Invariant($"| {point.Key.Rooms:N0} | {point.Key.Members:N0} | {point.Key.Senders:N0} | {point.Key.Size} | {rate} | {Number(c.Median(x => x.DeliveriesPerS))} | {Number(r.Median(x => x.DeliveriesPerS))} | {Ratio(c.Median(x => x.DeliveriesPerS), r.Median(x => x.DeliveriesPerS))} | {Millions(c.Median(PerCpuSecond))} / {Millions(r.Median(PerCpuSecond))} | {Ratio(c.Median(PerCpuSecond), r.Median(PerCpuSecond))} | {c.Latencies()} | {r.Latencies()} | {Ratio(c.Median(x => x.P99Us), r.Median(x => x.P99Us))} | {Fixed(c.Median(x => x.ConnectS))} / {Fixed(r.Median(x => x.ConnectS))} | {Fixed(c.Median(x => x.KbPerConnection))} / {Fixed(r.Median(x => x.KbPerConnection))} | {Mib(c.Median(x => x.ServerPeakRssKb))} / {Mib(r.Median(x => x.ServerPeakRssKb))} | {faults} | {c.Saturation()} / {r.Saturation()} | {c.Repeats} / {r.Repeats} | {c.Failed + r.Failed} |"));
        }

        foreach (var error in runs.Where(r => r.Error is not null).Select(r => $"{r.Target} {r.Rooms} rooms of {r.Members}: {r.Error}").Distinct())
        {
            text.AppendLine();
            text.AppendLine("- " + error);
        }

        text.AppendLine();
    }

    private static void Idle(StringBuilder text, RunResult[] runs, IReadOnlyList<string> catchats)
    {
        if (runs.Length == 0)
        {
            return;
        }

        text.AppendLine("## Idle connections: server memory");
        text.AppendLine();
        text.AppendLine("Growth of the server's resident memory (VmRSS, once settled) from before to after N clients joined and went quiet, divided by N.");
        text.AppendLine();
        text.AppendLine(Lead(catchats, "target") + "| N | CatChat KiB/connection | Redis KiB/connection | ratio | CatChat RSS MiB before → after | Redis RSS MiB before → after | server peak RSS MiB (C / R) | connect s (C / R) | disconnected (C / R) | repeats | failed |");
        text.AppendLine(Lead(catchats, "---") + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (point, target, c, r) in Rows(runs.GroupBy(r => r.N).OrderBy(g => g.Key), catchats))
        {
            text.AppendLine(Lead(catchats, target) + Invariant($"| {point.Key:N0} | {Fixed(c.Median(x => x.KbPerConnection))} | {Fixed(r.Median(x => x.KbPerConnection))} | {Ratio(c.Median(x => x.KbPerConnection), r.Median(x => x.KbPerConnection))} | {Mib(c.Median(x => x.RssBeforeKb))} → {Mib(c.Median(x => x.RssAfterKb))} | {Mib(r.Median(x => x.RssBeforeKb))} → {Mib(r.Median(x => x.RssAfterKb))} | {Mib(c.Median(x => x.ServerPeakRssKb))} / {Mib(r.Median(x => x.ServerPeakRssKb))} | {Fixed(c.Median(x => x.ConnectS))} / {Fixed(r.Median(x => x.ConnectS))} | {c.Disconnected()} / {r.Disconnected()} | {c.Repeats} / {r.Repeats} | {c.Failed + r.Failed} |"));
        }

        foreach (var error in runs.Where(r => r.Error is not null).Select(r => $"{r.Target} N={r.N}: {r.Error}").Distinct())
        {
            text.AppendLine();
            text.AppendLine("- " + error);
        }

        text.AppendLine();
    }

    private static void Connect(StringBuilder text, RunResult[] runs, IReadOnlyList<string> catchats)
    {
        if (runs.Length == 0)
        {
            return;
        }

        text.AppendLine("## New connections per second (connect, read the first line, close)");
        text.AppendLine();
        text.AppendLine(Lead(catchats, "target") + "| workers | CatChat connects/s | Redis connects/s | ratio | server CPU % (C / R) | loadgen saturated (C / R) | repeats |");
        text.AppendLine(Lead(catchats, "---") + "|---:|---:|---:|---:|---:|---|---:|");
        foreach (var (point, target, c, r) in Rows(runs.GroupBy(r => r.N).OrderBy(g => g.Key), catchats))
        {
            text.AppendLine(Lead(catchats, target) + Invariant($"| {point.Key} | {Number(c.Median(x => x.ConnectsPerS))} | {Number(r.Median(x => x.ConnectsPerS))} | {Ratio(c.Median(x => x.ConnectsPerS), r.Median(x => x.ConnectsPerS))} | {Fixed(c.Median(CpuPercent))} / {Fixed(r.Median(CpuPercent))} | {c.Saturation()} / {r.Saturation()} | {c.Repeats} / {r.Repeats} |"));
        }

        text.AppendLine();
    }

    private static void Compared(StringBuilder text, IReadOnlyList<RunResult> results, IReadOnlyList<string> catchats)
    {
        if (catchats.Count < 2)
        {
            return;
        }

        var baseline = catchats[0];
        text.AppendLine($"## CatChat targets against {baseline}");
        text.AppendLine();
        text.AppendLine($"Each ratio is a target's median over {baseline}'s at the same point: above 1 means the target's figure is higher "
            + "(better for deliveries/s and connects/s, worse for latency, CPU and memory).");
        text.AppendLine();
        text.AppendLine($"| scenario | point | target | deliveries/s | p50 | p99 | p99.9 | server CPU s | server peak RSS | KiB/connection | connects/s | repeats (target / {baseline}) | failed |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var points = results.Where(r => r.Scenario is "fanout" or "idle" or "connect")
            .GroupBy(r => (r.Scenario, r.Rate, r.N, r.Senders, r.Size))
            .OrderBy(g => g.Key.Scenario).ThenBy(g => g.Key.Rate).ThenBy(g => g.Key.Size).ThenBy(g => g.Key.N);
        foreach (var point in points)
        {
            var b = new Side(point, t => t == baseline);
            foreach (var target in catchats.Skip(1))
            {
                var c = new Side(point, t => t == target);
                if (c.IsEmpty || b.IsEmpty)
                {
                    continue;
                }

                text.AppendLine(Invariant($"| {point.Key.Scenario} | {Describe(point.First())} | {target} | {Ratio(c.Median(x => x.DeliveriesPerS), b.Median(x => x.DeliveriesPerS))} | {Ratio(c.Median(x => x.P50Us), b.Median(x => x.P50Us))} | {Ratio(c.Median(x => x.P99Us), b.Median(x => x.P99Us))} | {Ratio(c.Median(x => x.P999Us), b.Median(x => x.P999Us))} | {Ratio(c.Median(x => x.ServerCpuS), b.Median(x => x.ServerCpuS))} | {Ratio(c.Median(x => x.ServerPeakRssKb), b.Median(x => x.ServerPeakRssKb))} | {Ratio(c.Median(x => x.KbPerConnection), b.Median(x => x.KbPerConnection))} | {Ratio(c.Median(x => x.ConnectsPerS), b.Median(x => x.ConnectsPerS))} | {c.Repeats} / {b.Repeats} | {c.Failed + b.Failed} |"));
            }
        }

        text.AppendLine();
    }

    private static string Describe(RunResult r) => r.Scenario switch
    {
        "fanout" => Invariant($"N={r.N:N0} S={r.Senders} {r.Size} B, ") + (r.Rate > 0 ? Invariant($"{r.Rate:0.#} msg/s") : "closed loop"),
        "idle" => Invariant($"N={r.N:N0}"),
        _ => Invariant($"{r.N} workers"),
    };

    /// <summary>
    /// Every CatChat target in the results (all but Redis), in the order they first ran (the order of --target):
    /// catchat, catchat:epoll, catchat*2, catchat=before, catchat@host:port each stand alone.
    /// </summary>
    private static IReadOnlyList<string> CatChatTargets(IReadOnlyList<RunResult> results)
    {
        var targets = results.Select(r => r.Target).Where(t => !IsRedis(t)).Distinct().ToList();
        return targets.Count > 0 ? targets : ["catchat"];
    }

    private static bool IsRedis(string target) => target.StartsWith("redis", StringComparison.Ordinal);

    // One row per point and CatChat target, each against the point's Redis runs. With a single CatChat target, its row
    // is the point's row, as it always was (shown even when empty); with several, a target that did not run the point
    // has no row.
    private static IEnumerable<(TPoint Point, string Target, Side CatChat, Side Redis)> Rows<TPoint>(IEnumerable<TPoint> points, IReadOnlyList<string> catchats)
        where TPoint : IEnumerable<RunResult>
    {
        foreach (var point in points)
        {
            var redis = new Side(point, IsRedis);
            foreach (var target in catchats)
            {
                var catchat = new Side(point, t => t == target);
                if (catchats.Count == 1 || !catchat.IsEmpty)
                {
                    yield return (point, target, catchat, redis);
                }
            }
        }
    }

    // The "target" column, there only when the results hold more than one CatChat target.
    private static string Lead(IReadOnlyList<string> catchats, string cell) =>
        catchats.Count < 2 ? "" : cell == "---" ? "|---" : "| " + cell + " ";

    private static double? PerCpuSecond(RunResult r) =>
        r.DeliveriesPerS is { } rate && r.ServerCpuS is { } cpu && cpu > 0 ? rate * r.MeasureS / cpu : null;

    private static string Millions(double? value) => value is { } v ? (v / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M" : "–";

    private static double? CpuPercent(RunResult r) => r.ServerCpuS is { } cpu && r.MeasureS > 0 ? 100 * cpu / r.MeasureS : null;

    private static string Number(double? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "–";

    private static string Fixed(double? value) => value is { } v ? v.ToString(v >= 100 ? "0" : "0.0#", CultureInfo.InvariantCulture) : "–";

    private static string Mib(double? kib) => kib is { } v ? (v / 1024).ToString("0.0", CultureInfo.InvariantCulture) : "–";

    private static string Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? (x / y).ToString("0.00", CultureInfo.InvariantCulture) : "–";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One target's runs of one point.</summary>
    private sealed class Side(IEnumerable<RunResult> point, Func<string, bool> target)
    {
        private readonly RunResult[] _all = [.. point.Where(r => target(r.Target))];

        public bool IsEmpty => _all.Length == 0;

        private RunResult[] Good => [.. _all.Where(r => r.Error is null)];

        public int Repeats => Good.Length;

        public int Failed => _all.Length - Good.Length;

        public double? Median(Func<RunResult, double?> figure) => Stats.Median(Good.Select(figure));

        public double? Median(Func<RunResult, long?> figure) => Stats.Median(Good.Select(r => (double?)figure(r)));

        public string Latencies() => Good.Length == 0
            ? "–"
            : $"{Fixed(Median(r => r.P50Us))} / {Fixed(Median(r => r.P99Us))} / {Fixed(Median(r => r.P999Us))}";

        // Summed over all repeats, failed ones too: a fault anywhere must show.
        public string Faults() => _all.Length == 0
            ? "–"
            : $"{_all.Sum(r => r.Losses ?? 0)} / {_all.Sum(r => r.Duplicates ?? 0)} / {_all.Sum(r => r.Reorders ?? 0)}";

        // Summed over all repeats, failed ones too, like the faults.
        public string Sum(Func<RunResult, long?> figure) => _all.Length == 0 ? "–" : _all.Sum(r => figure(r) ?? 0).ToString(CultureInfo.InvariantCulture);

        // Summed over all repeats, failed ones too, like the faults.
        public string Disconnected() => _all.Length == 0 ? "–" : _all.Sum(r => r.Disconnected ?? 0).ToString(CultureInfo.InvariantCulture);

        public string Saturation()
        {
            var saturated = Good.Count(r => r.LoadgenSaturated == true);
            return Good.Length == 0 ? "–" : saturated == 0 ? "no" : $"**yes** ({saturated}/{Good.Length})";
        }
    }
}
