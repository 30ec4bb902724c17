using System.Diagnostics;
using System.Globalization;
using CatChat.Testing;
using CatChat.Transport;

namespace CatChat.IntegrationTests;

/// <summary>
/// CatChat where a seccomp filter refuses io_uring (Docker's default profile does): the io_uring transport asked for
/// by name is a bad setting, and everything that only prefers io_uring falls back and serves.
/// </summary>
public sealed class IoUringRefusedTests(NoIoUring noIoUring) : IClassFixture<NoIoUring>
{
    private static string CatChatDll => Path.Combine(AppContext.BaseDirectory, "CatChat.dll");

    [Fact]
    public async Task IoUringTransportWhereIoUringIsRefusedStopsTheStartWithOneLineNamingTheSetting()
    {
        using var process = Start(refused: true, ["--chat-transport", "io_uring", .. OnLoopback(FreePort.Next())]);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(exited.Token);

        Assert.True(process.ExitCode == 2, $"exit code {process.ExitCode}; stderr:\n{error}\nstdout:\n{await output}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("catchat: invalid setting --chat-transport (CatChat:ChatTransport): ", line, StringComparison.Ordinal);

        // The filter's EPERM, passed on as the reason: it was the launcher that took io_uring away.
        Assert.Contains("Operation not permitted", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AutoTransportAndSendBatchingWhereIoUringIsRefusedFallBackAndServe()
    {
        var chatPort = FreePort.Next();
        using var process = Start(refused: true, ["--chat-transport", "auto", "--send-batching", "true", .. OnLoopback(chatPort)]);
        var output = new ProcessOutput(process);
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await output.WaitUntilListeningAsync(chatPort);
            await ChatAsync(chatPort, "served without io_uring");

            // The one probe at start found no io_uring and said so; the sends went out one by one.
            Assert.Contains(output.Seen, line => line.Contains("not batched, because io_uring is not available", StringComparison.Ordinal));
            Assert.Equal(0, ProcessSignals.Terminate(process.Id));
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exited.Token);
            Assert.True(process.ExitCode == 0, await error);
            Assert.Equal(string.Empty, await error);
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
    public async Task IoUringTransportWithoutTheFilterServesWhereTheMachineHasIoUring()
    {
        // The control for the test above it: the same start, without the launcher. A machine (or container) that
        // refuses io_uring by itself has nothing to compare against.
        using (var probe = SendBatch.TryCreate(out _))
        {
            if (probe is null)
            {
                return;
            }
        }

        var chatPort = FreePort.Next();
        using var process = Start(refused: false, ["--chat-transport", "io_uring", .. OnLoopback(chatPort)]);
        var output = new ProcessOutput(process);
        try
        {
            await output.WaitUntilListeningAsync(chatPort);
            await ChatAsync(chatPort, "served on io_uring");
            Assert.Contains(output.Seen, line => line.Contains("also accepted into io_uring", StringComparison.Ordinal));
        }
        finally
        {
            ProcessSignals.Terminate(process.Id);
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exited.Token);
        }
    }

    private static async Task ChatAsync(int chatPort, string text)
    {
        await using var alice = await TcpChatClient.ConnectAsync(chatPort, "alice");
        await using var bob = await TcpChatClient.ConnectAsync(chatPort, "bob");
        await alice.SendAsync(text);
        await bob.WaitForLineAsync("<alice> " + text);
    }

    private static string[] OnLoopback(int chatPort) =>
    [
        "--bind", "127.0.0.1", "--chat-port", chatPort.ToString(CultureInfo.InvariantCulture), "--irc-port", "0", "--http-port", "0",
        "--data-dir", Directory.CreateTempSubdirectory("catchat-proc-").FullName,
    ];

    // dotnet CatChat.dll ARGS, under the launcher when io_uring is to be refused (exec keeps the process id).
    private Process Start(bool refused, string[] args)
    {
        var info = new ProcessStartInfo(refused ? noIoUring.Launcher : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (refused)
        {
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(CatChatDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }
}
