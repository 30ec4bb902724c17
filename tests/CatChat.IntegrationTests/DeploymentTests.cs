using System.Globalization;
using System.Text.RegularExpressions;
using CatChat.IntegrationTests.Support;

namespace CatChat.IntegrationTests;

/// <summary>The systemd unit in deploy/, judged by systemd's own tools (no running systemd needed).</summary>
public sealed partial class DeploymentTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("catchat-unit-").FullName;

    private static string Unit => Path.Combine(Tool.RepositoryRoot, "deploy", "catchat.service");

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task UnitFilePassesSystemdAnalyzeVerify()
    {
        // verify insists that ExecStart's program exists; point it at a stand-in here, change nothing else.
        var program = Path.Combine(_directory, "catchat");
        await File.WriteAllTextAsync(program, "#!/bin/sh\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var unit = Path.Combine(_directory, "catchat.service");
        var text = await File.ReadAllTextAsync(Unit);
        Assert.Contains("ExecStart=/usr/local/bin/catchat ", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(unit, text.Replace("ExecStart=/usr/local/bin/catchat ", $"ExecStart={program} ", StringComparison.Ordinal));

        var (exitCode, output) = await Tool.RunAsync("systemd-analyze", ["verify", unit]);

        Assert.True(exitCode == 0 && output.Trim().Length == 0, output);
    }

    [Fact]
    public async Task UnitFileRatesOkInSystemdAnalyzeSecurity()
    {
        var (exitCode, output) = await Tool.RunAsync("systemd-analyze", ["security", "--offline=true", "--no-pager", Unit]);

        Assert.True(exitCode == 0, output);
        var score = double.Parse(ExposureLevel().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(score <= 2.0, $"exposure {score}:\n{output}");
    }

    [Fact]
    public async Task UnitFileKeepsTheRequiredSandboxing()
    {
        var text = await File.ReadAllTextAsync(Unit);

        foreach (var directive in new[]
        {
            "Type=notify", "DynamicUser=yes", "StateDirectory=catchat", "Restart=on-failure", "LimitNOFILE=65536",
            "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes",
            "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "CapabilityBoundingSet=\n", "SystemCallFilter=@system-service",
            "UMask=0077", "MemoryDenyWriteExecute=no",
        })
        {
            Assert.Contains(directive, text, StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d+)")]
    private static partial Regex ExposureLevel();
}
