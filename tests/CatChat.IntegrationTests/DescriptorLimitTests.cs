using System.Diagnostics;
using System.Globalization;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>
/// A CatChat process whose open-files limit is far below its connection limit: past the limit (less the headroom
/// the runtime needs), its chat port carries on in io_uring rings, whose sockets take no descriptor.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class DescriptorLimitTests
{
    private const int OpenFilesLimit = 1000;
    private const int Clients = 1500;
    private const int ConnectBatch = 100;

    private static string CatChatDll => Path.Combine(AppContext.BaseDirectory, "CatChat.dll");

    [Fact]
    public async Task ConnectionsPastTheOpenFilesLimitAreServedAndHearEachOther()
    {
        var chatPort = FreePort.Next();
        using var process = StartWithOpenFilesLimit(
            "--bind", "127.0.0.1", "--chat-port", chatPort.ToString(CultureInfo.InvariantCulture), "--irc-port", "0", "--http-port", "0",
            "--data-dir", Directory.CreateTempSubdirectory("catchat-fdlimit-").FullName,
            "--max-connections", "4000", "--presence-notices", "false", "--join-announce-delay", "0");
        var output = new ProcessOutput(process);
        var clients = new List<TcpChatClient>();
        try
        {
            await output.WaitUntilListeningAsync(chatPort);
            for (var first = 0; first < Clients; first += ConnectBatch)
            {
                clients.AddRange(await Task.WhenAll(Enumerable.Range(0, ConnectBatch).Select(_ => TcpChatClient.ConnectAsync(chatPort))));
            }

            Assert.Contains(output.Seen, line => line.Contains("also accepted into io_uring", StringComparison.Ordinal));
            // The rings took over with headroom to spare: the runtime can still open files.
            Assert.InRange(Directory.GetFiles($"/proc/{process.Id}/fd").Length, 1, OpenFilesLimit - 256);

            // The first client (an epoll descriptor) and the last (a direct descriptor) reach everyone.
            await clients[0].SendAsync("hello from the first");
            await clients[^1].SendAsync("hello from the last");
            await Task.WhenAll(clients.Skip(1).Select(c => c.WaitForSeenAsync($"<{clients[0].Nick}> hello from the first")));
            await Task.WhenAll(clients.SkipLast(1).Select(c => c.WaitForSeenAsync($"<{clients[^1].Nick}> hello from the last")));
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    // The limit is lowered by the shell that then becomes CatChat, so the test process keeps its own.
    private static Process StartWithOpenFilesLimit(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"ulimit -n {OpenFilesLimit} && exec dotnet \"$0\" \"$@\"");
        info.ArgumentList.Add(CatChatDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }
}
