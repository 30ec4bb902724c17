using System.Globalization;
using System.Text;

namespace CatChat.Bench.Reporting;

/// <summary>
/// The irc and irc-idle runs as Markdown: per point, each IRC server's medians, then CatChat's IRC port against the
/// best of the others (the servers users would pick instead): deliveries per server CPU-second, p99 latency and
/// idle memory per connection. Failed runs stay out of the medians and are counted.
/// </summary>
internal static class IrcReport
{
    public static void Write(StringBuilder text, IReadOnlyList<RunResult> results)
    {
        var sends = results.Where(r => r.Scenario == "irc").ToArray();
        var idle = results.Where(r => r.Scenario == "irc-idle").ToArray();
        if (sends.Length == 0 && idle.Length == 0)
        {
            return;
        }

        var targets = results.Where(r => r.Scenario is "irc" or "irc-idle").Select(r => r.Target).Distinct().ToList();
        text.AppendLine("## IRC: CatChat against InspIRCd and ngIRCd");
        text.AppendLine();
        text.AppendLine("One channel of N clients, S of which send PRIVMSGs to it; a message reaches the N - 1 others. Per server CPU-second: "
            + "deliveries in the measured period over the server's CPU seconds in it. Ratios are CatChat / the best of the other servers "
            + "at that point (per CPU-second: above 1 is better; p99 and memory: below 1 is better).");
        text.AppendLine();
        if (sends.Length > 0)
        {
            Sends(text, sends, targets);
        }

        if (idle.Length > 0)
        {
            Idle(text, idle, targets);
        }
    }

    /// <summary>True for CatChat's IRC port, this checkout's or another build's (<c>catchat-irc=LABEL</c>).</summary>
    public static bool IsCatChat(string target) => target.StartsWith("catchat-irc", StringComparison.Ordinal);

    /// <summary>A floor (bench/irc-servers/floor.c, either way of sending): a reference, never a "best other".</summary>
    public static bool IsFloor(string target) => target.StartsWith("irc-floor", StringComparison.Ordinal);

    private static void Sends(StringBuilder text, RunResult[] runs, List<string> targets)
    {
        var points = runs.GroupBy(r => (r.N, r.Senders, r.Size, r.Rate)).OrderBy(g => g.Key.N).ThenBy(g => g.Key.Size).ThenBy(g => g.Key.Rate).ToArray();
        text.AppendLine("| N | S | size | rate | target | deliveries/s | server CPU s | per server CPU-second | p50 / p99 / p99.9 µs | loss / dup / reorder | loadgen saturated | repeats | failed |");
        text.AppendLine("|---:|---:|---:|---|---|---:|---:|---:|---:|---|---|---:|---:|");
        foreach (var point in points)
        {
            foreach (var target in targets)
            {
                var side = Side(point, target);
                if (side.Length == 0 && !point.Any(r => r.Target == target))
                {
                    continue;
                }

                var all = point.Where(r => r.Target == target).ToArray();
                text.AppendLine(Invariant($"| {point.Key.N:N0} | {point.Key.Senders} | {point.Key.Size} | {Rate(point.Key.Rate, point.First().Window)} | {target} | {Number(Median(side, r => r.DeliveriesPerS))} | {Fixed(Median(side, r => r.ServerCpuS))} | {Number(Median(side, PerCpuSecond))} | {Fixed(Median(side, r => r.P50Us))} / {Fixed(Median(side, r => r.P99Us))} / {Fixed(Median(side, r => r.P999Us))} | {all.Sum(r => r.Losses ?? 0)} / {all.Sum(r => r.Duplicates ?? 0)} / {all.Sum(r => r.Reorders ?? 0)} | {Saturation(side)} | {side.Length} | {all.Length - side.Length} |"));
            }
        }

        text.AppendLine();
        text.AppendLine("| N | rate | CatChat target | per CPU-second: CatChat / best other (who) | p99: CatChat / best other (who) |");
        text.AppendLine("|---:|---|---|---:|---:|");
        foreach (var point in points)
        {
            foreach (var catchat in targets.Where(IsCatChat))
            {
                var ours = Side(point, catchat);
                var perCpu = Against(point, targets, ours, PerCpuSecond, higherIsBetter: true);
                var p99 = Against(point, targets, ours, r => r.P99Us, higherIsBetter: false);
                text.AppendLine(Invariant($"| {point.Key.N:N0} | {Rate(point.Key.Rate, point.First().Window)} | {catchat} | {perCpu} | {p99} |"));
            }
        }

        text.AppendLine();
        if (targets.Contains("irc-floor"))
        {
            Floor(text, points, targets);
        }

        Errors(text, runs);
    }

    // Each server's deliveries per CPU-second as a share of the floor's: how far above the kernel's own cost it runs.
    private static void Floor(StringBuilder text, IGrouping<(int N, int Senders, int Size, double Rate), RunResult>[] points, List<string> targets)
    {
        text.AppendLine("| N | rate | target | per CPU-second: target / irc-floor |");
        text.AppendLine("|---:|---|---|---:|");
        foreach (var point in points)
        {
            var floor = Median(Side(point, "irc-floor"), PerCpuSecond);
            foreach (var target in targets.Where(t => t != "irc-floor" && point.Any(r => r.Target == t)))
            {
                text.AppendLine(Invariant($"| {point.Key.N:N0} | {Rate(point.Key.Rate, point.First().Window)} | {target} | {Ratio(Median(Side(point, target), PerCpuSecond), floor)} |"));
            }
        }

        text.AppendLine();
    }

    private static void Idle(StringBuilder text, RunResult[] runs, List<string> targets)
    {
        text.AppendLine("Idle: growth of the server's settled resident memory from before to after N clients registered, joined the channel and went quiet, over N.");
        text.AppendLine();
        text.AppendLine("| N | target | KiB per connection | RSS MiB before → after | CatChat / this | disconnected | repeats | failed |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var point in runs.GroupBy(r => r.N).OrderBy(g => g.Key))
        {
            var catchat = targets.Where(IsCatChat).Select(t => Median(Side(point, t), r => r.KbPerConnection)).FirstOrDefault();
            foreach (var target in targets.Where(t => point.Any(r => r.Target == t)))
            {
                var side = Side(point, target);
                var all = point.Where(r => r.Target == target).ToArray();
                var kib = Median(side, r => r.KbPerConnection);
                text.AppendLine(Invariant($"| {point.Key:N0} | {target} | {Fixed(kib)} | {Mib(Median(side, r => r.RssBeforeKb))} → {Mib(Median(side, r => r.RssAfterKb))} | {(IsCatChat(target) ? "–" : Ratio(catchat, kib))} | {all.Sum(r => r.Disconnected ?? 0)} | {side.Length} | {all.Length - side.Length} |"));
            }
        }

        text.AppendLine();
        Errors(text, runs);
    }

    // "0.35x (ngircd)": CatChat's median over the best other server's, where best is the highest or the lowest median.
    private static string Against(IEnumerable<RunResult> point, List<string> targets, RunResult[] ours, Func<RunResult, double?> figure, bool higherIsBetter)
    {
        var others = targets.Where(t => !IsCatChat(t) && !IsFloor(t))
            .Select(t => (Target: t, Value: Median(Side(point, t), figure)))
            .Where(o => o.Value is not null).ToArray();
        if (others.Length == 0 || Median(ours, figure) is not { } value)
        {
            return "–";
        }

        var best = higherIsBetter ? others.MaxBy(o => o.Value) : others.MinBy(o => o.Value);
        return Invariant($"{Ratio(value, best.Value)} ({best.Target})");
    }

    private static void Errors(StringBuilder text, RunResult[] runs)
    {
        var errors = runs.Where(r => r.Error is not null).Select(r => $"{r.Target} N={r.N} rate {r.Rate}: {r.Error}").Distinct().ToArray();
        foreach (var error in errors)
        {
            text.AppendLine("- " + error);
        }

        if (errors.Length > 0)
        {
            text.AppendLine();
        }
    }

    private static RunResult[] Side(IEnumerable<RunResult> point, string target) => [.. point.Where(r => r.Target == target && r.Error is null)];

    private static double? Median(RunResult[] runs, Func<RunResult, double?> figure) => Stats.Median(runs.Select(figure));

    private static double? Median(RunResult[] runs, Func<RunResult, long?> figure) => Stats.Median(runs.Select(r => (double?)figure(r)));

    /// <summary>Deliveries in the measured period per second of the server's CPU in it.</summary>
    public static double? PerCpuSecond(RunResult r) =>
        r.DeliveriesPerS is { } rate && r.ServerCpuS is { } cpu && cpu > 0 ? rate * r.MeasureS / cpu : null;

    private static string Saturation(RunResult[] runs)
    {
        var saturated = runs.Count(r => r.LoadgenSaturated == true);
        return runs.Length == 0 ? "–" : saturated == 0 ? "no" : $"**yes** ({saturated}/{runs.Length})";
    }

    private static string Rate(double rate, int window) => rate > 0 ? Invariant($"{rate:0.#} lines/s") : Invariant($"closed loop (window {window})");

    private static string Number(double? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "–";

    private static string Fixed(double? value) => value is { } v ? v.ToString(v >= 100 ? "0" : "0.0#", CultureInfo.InvariantCulture) : "–";

    private static string Mib(double? kib) => kib is { } v ? (v / 1024).ToString("0.0", CultureInfo.InvariantCulture) : "–";

    private static string Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? (x / y).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "–";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
