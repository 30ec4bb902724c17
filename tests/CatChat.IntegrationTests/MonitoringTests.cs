using System.Text.RegularExpressions;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>
/// The Prometheus files in deploy/prometheus, judged by promtool, and the runbook's metric list checked
/// against what /metrics really exports.
/// </summary>
public sealed partial class MonitoringTests
{
    private static string Prometheus => Path.Combine(Tool.RepositoryRoot, "deploy", "prometheus");

    [Fact]
    public async Task ScrapeConfigurationPassesPromtoolWithItsRuleFile()
    {
        var (exitCode, output) = await Tool.RunAsync("promtool", ["check", "config", Path.Combine(Prometheus, "catchat-scrape.yml")]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("1 rule files found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertRulesPassPromtoolCheckAndTheirUnitTests()
    {
        var (checkedCode, checkOutput) = await Tool.RunAsync("promtool", ["check", "rules", Path.Combine(Prometheus, "catchat-alerts.yml")]);
        Assert.True(checkedCode == 0, checkOutput);

        // promtool resolves rule_files from the test file's directory.
        var (testedCode, testOutput) = await Tool.RunAsync("promtool", ["test", "rules", Path.Combine(Prometheus, "catchat-alerts.test.yml")]);
        Assert.True(testedCode == 0, testOutput);
    }

    [Fact]
    public async Task AlertRulesUseOnlyMetricsCatChatExports()
    {
        var exported = await ExportedMetricsAsync();
        var rules = await File.ReadAllLinesAsync(Path.Combine(Prometheus, "catchat-alerts.yml"));

        // Comments (the backplane placeholder among them) are not rules.
        var used = rules.Where(line => !line.TrimStart().StartsWith('#'))
            .SelectMany(line => MetricName().Matches(line).Select(match => match.Value))
            .Select(name => HistogramSeries().Replace(name, string.Empty))
            .Distinct()
            .ToList();

        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains(name, exported));
    }

    [Fact]
    public async Task RunbookNamesEveryExportedMetric()
    {
        var exported = await ExportedMetricsAsync();
        var runbook = await File.ReadAllTextAsync(Path.Combine(Tool.RepositoryRoot, "docs", "operations.md"));

        Assert.NotEmpty(exported);
        Assert.All(exported, name => Assert.Contains($"`{name}`", runbook, StringComparison.Ordinal));
    }

    /// <summary>
    /// The names /metrics declares with # TYPE, after some chatting so every series exists, on a node of a
    /// cluster (which exports the backplane's metrics as well as every single-node one).
    /// </summary>
    private static async Task<IReadOnlyList<string>> ExportedMetricsAsync()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await ChatServer.StartAsync("--redis", redis.Address);
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.SendAsync("counted");
        await bob.WaitForLineAsync("<alice> counted");
        using var client = server.CreateHttpClient();
        var text = await client.GetStringAsync("metrics");
        return text.Split('\n')
            .Where(line => line.StartsWith("# TYPE ", StringComparison.Ordinal))
            .Select(line => line.Split(' ')[2])
            .ToList();
    }

    [GeneratedRegex(@"\bcatchat_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSeries();
}
