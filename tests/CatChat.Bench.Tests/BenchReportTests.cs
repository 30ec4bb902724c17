using CatChat.Bench.Reporting;

namespace CatChat.Bench.Tests;

/// <summary>The load generator's Markdown report: every CatChat target its own rows, the ratios taken within a target.</summary>
public sealed class BenchReportTests
{
    [Fact]
    public void OneCatChatTargetKeepsTheTablesWithoutATargetColumn()
    {
        var report = MarkdownReport.Write([Fanout("catchat", 1_000), Fanout("redis", 500)]);

        Assert.Contains("\n| N | S | size | CatChat deliveries/s |", report, StringComparison.Ordinal);
        Assert.Contains("| 100 | 10 | 64 | 1,000 | 500 | 2.00 |", report, StringComparison.Ordinal);
        Assert.DoesNotContain("CatChat targets against", report, StringComparison.Ordinal);
    }

    [Fact]
    public void EachCatChatTargetHasItsOwnRowsAndRatiosAgainstRedis()
    {
        var report = MarkdownReport.Write(
        [
            Fanout("catchat=before", 2_000), Fanout("catchat", 1_000), Fanout("redis", 500),
            Fanout("catchat=before", 2_000, repeat: 2), Fanout("catchat", 1_000, repeat: 2), Fanout("redis", 500, repeat: 2),
        ]);

        Assert.Contains("\n| target | N | S | size | CatChat deliveries/s |", report, StringComparison.Ordinal);
        Assert.Contains("| catchat=before | 100 | 10 | 64 | 2,000 | 500 | 4.00 |", report, StringComparison.Ordinal);
        Assert.Contains("| catchat | 100 | 10 | 64 | 1,000 | 500 | 2.00 |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherCatChatTargetsAreComparedWithTheFirst()
    {
        var report = MarkdownReport.Write([Fanout("catchat=before", 2_000, p99: 400), Fanout("catchat", 1_000, p99: 100)]);

        Assert.Contains("## CatChat targets against catchat=before", report, StringComparison.Ordinal);
        Assert.Contains("| fanout | N=100 S=10 64 B, closed loop | catchat | 0.50 | – | 0.25 |", report, StringComparison.Ordinal);
    }

    private static RunResult Fanout(string target, double deliveriesPerS, double p99 = 100, int repeat = 1) => new()
    {
        Scenario = "fanout",
        Target = target,
        N = 100,
        Senders = 10,
        Size = 64,
        Repeat = repeat,
        MeasureS = 5,
        DeliveriesPerS = deliveriesPerS,
        P99Us = p99,
    };
}
