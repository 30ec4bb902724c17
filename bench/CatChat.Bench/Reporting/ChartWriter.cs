using System.Globalization;
using ScottPlot;

namespace CatChat.Bench.Reporting;

/// <summary>
/// PNG charts of the medians, CatChat beside Redis: deliveries/s and p99 latency against N (closed loop, N on a
/// log scale), and p99 latency against the fixed rate.
/// </summary>
internal static class ChartWriter
{
    private const int Width = 900;
    private const int Height = 560;

    public static IReadOnlyList<string> Write(IReadOnlyList<RunResult> results, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var closed = results.Where(r => r.Scenario == "fanout" && r.Rate == 0 && r.Error is null).ToArray();
        var paced = results.Where(r => r.Scenario == "fanout" && r.Rate > 0 && r.Error is null).ToArray();
        if (closed.Length > 0)
        {
            written.Add(AgainstN(closed, r => r.DeliveriesPerS, "Deliveries per second, closed loop", "deliveries/s", Path.Combine(directory, "deliveries-vs-n.png")));
            written.Add(AgainstN(closed, r => r.P99Us, "p99 latency, closed loop", "p99 latency (µs)", Path.Combine(directory, "p99-vs-n.png")));
        }

        if (paced.Length > 0)
        {
            written.Add(AgainstRate(paced, Path.Combine(directory, "p99-vs-rate.png")));
        }

        written.AddRange(IrcCharts.Write(results, directory));
        return written;
    }

    private static string AgainstN(RunResult[] runs, Func<RunResult, double?> figure, string title, string yLabel, string path)
    {
        var plot = new Plot();
        var ns = runs.Select(r => r.N).Distinct().Order().ToArray();
        var targets = runs.Select(TargetKind).Distinct().Order().ToList();
        foreach (var series in runs.GroupBy(r => (Target: TargetKind(r), r.Size, r.Senders)).OrderBy(g => g.Key.Target).ThenBy(g => g.Key.Size))
        {
            var points = series.GroupBy(r => r.N).OrderBy(g => g.Key)
                .Select(g => (X: Math.Log10(g.Key), Y: Stats.Median(g.Select(figure))))
                .Where(p => p.Y is not null).ToArray();
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y!.Value).ToArray());
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{series.Key.Target}, {series.Key.Size} B, S={series.Key.Senders}");
            Style(line, series.Key.Target, series.Key.Size, targets);
        }

        plot.Axes.Bottom.SetTicks(
            ns.Select(n => Math.Log10(n)).ToArray(), ns.Select(n => n.ToString("N0", CultureInfo.InvariantCulture)).ToArray());
        return Save(plot, title, "N (receiving clients, log scale)", yLabel, path);
    }

    private static string AgainstRate(RunResult[] runs, string path)
    {
        var plot = new Plot();
        var targets = runs.Select(TargetKind).Distinct().Order().ToList();
        foreach (var series in runs.GroupBy(r => (Target: TargetKind(r), r.Size, r.N)).OrderBy(g => g.Key.Target).ThenBy(g => g.Key.N))
        {
            var points = series.GroupBy(r => r.Rate).OrderBy(g => g.Key)
                .Select(g => (X: g.Key, Y: Stats.Median(g.Select(r => r.P99Us))))
                .Where(p => p.Y is not null).ToArray();
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y!.Value).ToArray());
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{series.Key.Target}, N={series.Key.N:N0}, {series.Key.Size} B");
            Style(line, series.Key.Target, series.Key.Size, targets);
        }

        return Save(plot, "p99 latency at a fixed total rate", "messages per second (all senders)", "p99 latency (µs)", path);
    }

    // Redis in blue, CatChat in orange; other CatChat targets (catchat:epoll, catchat=before, ...) each a colour of their own.
    private static readonly Color[] OtherCatChats = [Colors.SeaGreen, Colors.Purple, Colors.Crimson, Colors.DarkGoldenRod, Colors.Teal];

    private static void Style(ScottPlot.Plottables.Scatter line, string target, int size, IReadOnlyList<string> targets)
    {
        var others = targets.Where(t => t != "catchat" && !t.StartsWith("redis", StringComparison.Ordinal)).ToList();
        line.Color = target == "catchat" ? Colors.DarkOrange
            : target.StartsWith("redis", StringComparison.Ordinal) ? Colors.SteelBlue
            : OtherCatChats[others.IndexOf(target) % OtherCatChats.Length];
        line.LineWidth = 2;
        line.MarkerSize = 8;
        line.LinePattern = size > 64 ? LinePattern.Dashed : LinePattern.Solid;
    }

    internal static string Save(Plot plot, string title, string xLabel, string yLabel, string path)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        // From zero: a ratio between the lines should look like one.
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top * 1.1);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
        return path;
    }

    private static string TargetKind(RunResult r) => r.Target.Split('@')[0];
}
