using System.Globalization;
using ScottPlot;

namespace CatChat.Bench.Reporting;

/// <summary>
/// PNG charts of the irc runs at fixed rates, one line per IRC server: deliveries per server CPU-second, and p99
/// latency, against the rate (closed-loop runs have no rate to place them at: the tables give them).
/// </summary>
internal static class IrcCharts
{
    private static readonly Color[] Others = [Colors.SteelBlue, Colors.SeaGreen, Colors.Purple, Colors.Crimson, Colors.Teal];

    public static IReadOnlyList<string> Write(IReadOnlyList<RunResult> results, string directory)
    {
        var paced = results.Where(r => r.Scenario == "irc" && r.Rate > 0 && r.Error is null).ToArray();
        if (paced.Length == 0)
        {
            return [];
        }

        return
        [
            Chart(paced, IrcReport.PerCpuSecond, "IRC: deliveries per server CPU-second", "deliveries per CPU-second", Path.Combine(directory, "irc-per-cpu-vs-rate.png")),
            Chart(paced, r => r.P99Us, "IRC: p99 latency", "p99 latency (µs)", Path.Combine(directory, "irc-p99-vs-rate.png")),
        ];
    }

    private static string Chart(RunResult[] runs, Func<RunResult, double?> figure, string title, string yLabel, string path)
    {
        var plot = new Plot();
        var others = runs.Select(r => r.Target).Where(t => t != "catchat-irc").Distinct().Order().ToList();
        foreach (var series in runs.GroupBy(r => (r.Target, r.N)).OrderBy(g => g.Key.Target))
        {
            var points = series.GroupBy(r => r.Rate).OrderBy(g => g.Key)
                .Select(g => (X: g.Key, Y: Stats.Median(g.Select(figure))))
                .Where(p => p.Y is not null).ToArray();
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y!.Value).ToArray());
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{series.Key.Target}, N={series.Key.N:N0}");
            line.Color = series.Key.Target == "catchat-irc" ? Colors.DarkOrange : Others[others.IndexOf(series.Key.Target) % Others.Length];
            line.LineWidth = 2;
            line.MarkerSize = 8;
        }

        return ChartWriter.Save(plot, title, "lines per second (all senders)", yLabel, path);
    }
}
