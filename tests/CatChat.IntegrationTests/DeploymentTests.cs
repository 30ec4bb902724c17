using System.Globalization;
using System.Text.RegularExpressions;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>The systemd unit in deploy/, judged by systemd's own tools (no running systemd needed).</summary>
[Collection(AloneCollection.Name)]
public sealed partial class DeploymentTests : IDisposable
{
    // A self-contained publish takes well over a minute when CI's IRC conformance run shares the two cores.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(6);

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
        var (built, buildOutput) = await Tool.RunAsync("bash", [Path.Combine(Tool.RepositoryRoot, "scripts", "publish.sh"), Path.Combine(_directory, "out")], timeout: PublishTimeout);
        Assert.True(built == 0, buildOutput);

        var chatPort = FreePort.Next();
        using var process = StartAlone(Path.Combine(_directory, "out", "catchat"), "catchat",
            ["--bind", "127.0.0.1", "--chat-port", chatPort.ToString(CultureInfo.InvariantCulture), "--irc-port", "0", "--http-port", "0"], out var runDirectory);
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

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task SingleFilePublishRunsWithItsBinaryCopiedAloneToAnEmptyDirectory()
    {
        // However the single file is made: plain dotnet publish, none of scripts/publish.sh's extra properties. Its own
        // build directories, so the Release build this test runs from is left alone (as publish.sh does).
        var (built, buildOutput) = await Tool.RunAsync("dotnet",
        [
            "publish", Path.Combine(Tool.RepositoryRoot, "src", "CatChat", "CatChat.csproj"), "-c", "Release", "-r", "linux-x64",
            "--self-contained", "-p:PublishSingleFile=true", "--artifacts-path", Path.Combine(_directory, "build"),
            "-o", Path.Combine(_directory, "out"), "--nologo", "-v", "quiet",
        ], timeout: PublishTimeout);
        Assert.True(built == 0, buildOutput);

        var chatPort = FreePort.Next();
        var httpPort = FreePort.Next();
        var dataDirectory = Path.Combine(_directory, "data");
        using var process = StartAlone(Path.Combine(_directory, "out", "CatChat"), "CatChat",
        [
            "--bind", "127.0.0.1", "--chat-port", chatPort.ToString(CultureInfo.InvariantCulture), "--irc-port", "0",
            "--http-port", httpPort.ToString(CultureInfo.InvariantCulture), "--data-dir", dataDirectory,
        ], out _);
        var output = new ProcessOutput(process);
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            try
            {
                await output.WaitUntilListeningAsync(chatPort);
            }
            catch (Xunit.Sdk.XunitException ex)
            {
                // Its output ended without the line: show why (a missing native library is a stack trace on stderr).
                using var exiting = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await process.WaitForExitAsync(exiting.Token);
                Assert.Fail($"{ex.Message}\nexit code {process.ExitCode}; stderr:\n{await errors}");
            }

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
            var health = await http.GetAsync("healthz");
            Assert.True(health.IsSuccessStatusCode, $"/healthz answered {(int)health.StatusCode}: {await health.Content.ReadAsStringAsync()}");
            await using var alice = await TcpChatClient.ConnectAsync(chatPort, "alice");
            await using var bob = await TcpChatClient.ConnectAsync(chatPort, "bob");
            await alice.SendAsync("from the lone binary");
            await bob.WaitForLineAsync("<alice> from the lone binary");

            Assert.Equal(0, ProcessSignals.Terminate(process.Id));
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(exited.Token);
            Assert.True(process.ExitCode == 0, await errors);
            Assert.True(File.Exists(Path.Combine(dataDirectory, "catchat.db")));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    // The published binary copied alone into an empty directory and started there, with a PATH that has no dotnet on
    // it and nothing else in its environment; HOME (where the single file unpacks what it must) lies outside.
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private System.Diagnostics.Process StartAlone(string published, string name, string[] arguments, out string runDirectory)
    {
        runDirectory = Directory.CreateDirectory(Path.Combine(_directory, "run")).FullName;
        var binary = Path.Combine(runDirectory, name);
        File.Copy(published, binary);
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var info = new System.Diagnostics.ProcessStartInfo(binary)
        {
            WorkingDirectory = runDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        info.Environment["PATH"] = runDirectory;
        info.Environment["HOME"] = Directory.CreateDirectory(Path.Combine(_directory, "home")).FullName;
        return System.Diagnostics.Process.Start(info)!;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d+)")]
    private static partial Regex ExposureLevel();
}
