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

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task ReleaseBinaryRunsWithoutDotnetChatsAndStopsCleanlyOnSigterm()
    {
        var (built, buildOutput) = await Tool.RunAsync("bash", [Path.Combine(Tool.RepositoryRoot, "scripts", "publish.sh"), Path.Combine(_directory, "out")]);
        Assert.True(built == 0, buildOutput);

        // An empty directory, a PATH with no dotnet on it, nothing else.
        var runDirectory = Directory.CreateDirectory(Path.Combine(_directory, "run")).FullName;
        var binary = Path.Combine(runDirectory, "catchat");
        File.Copy(Path.Combine(_directory, "out", "catchat"), binary);
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var chatPort = FreePort.Next();
        var info = new System.Diagnostics.ProcessStartInfo(binary)
        {
            WorkingDirectory = runDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--bind", "127.0.0.1", "--chat-port", chatPort.ToString(CultureInfo.InvariantCulture), "--http-port", "0" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        info.Environment["PATH"] = runDirectory;
        info.Environment["HOME"] = runDirectory;
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = new ProcessOutput(process);
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await output.WaitUntilListeningAsync(chatPort);
            await using var alice = await TcpChatClient.ConnectAsync(chatPort);
            await using var bob = await TcpChatClient.ConnectAsync(chatPort, "bob");
            await alice.SendAsync("/nick alice");
            await bob.WaitForLineAsync(line => line.EndsWith(" is now known as alice", StringComparison.Ordinal));
            await alice.SendAsync("from the release binary");
            await bob.WaitForLineAsync("<alice> from the release binary");

            Assert.Equal(0, ProcessSignals.Terminate(process.Id));
            await bob.WaitForLineAsync("*** Server is shutting down. Goodbye!");
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(exited.Token);
            Assert.True(process.ExitCode == 0, await errors);
            Assert.True(File.Exists(Path.Combine(runDirectory, "data", "catchat.db")));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d+)")]
    private static partial Regex ExposureLevel();
}
