using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>Every chat-over-TCP test again, with the chat port's sockets held as io_uring direct descriptors.</summary>
public sealed class ChatOverTcpOnIoUringTests : ChatOverTcpTests
{
    private protected override Task<ChatServer> StartServerAsync(params string[] settings) =>
        ChatServer.StartAsync([.. settings, "--chat-transport", "io_uring"]);
}

/// <summary>Every hostile-input test again (floods, slow readers, limits, keepalive) on the io_uring transport.</summary>
public sealed class HostileInputOnIoUringTests : HostileInputTests
{
    private protected override Task<ChatServer> StartServerAsync(params string[] settings) =>
        ChatServer.StartAsync([.. settings, "--chat-transport", "io_uring"]);
}

/// <summary>What only the io_uring transport promises.</summary>
public sealed class IoUringTransportTests
{
    [Theory]
    [InlineData("epoll", true)]
    [InlineData("io_uring", false)]
    public async Task OnlyEpollConnectionsTakeADescriptorOfTheProcess(string transport, bool takesDescriptors)
    {
        const int Clients = 100;
        await using var server = await ChatServer.StartAsync("--chat-transport", transport, "--presence-notices", "false");
        var clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => server.ConnectAsync()));

        // The server's side of each connection, found by its local port in the kernel's table, and then among
        // this process's descriptors (the server runs in the test process).
        var serverSockets = ServerSideSocketInodes(server.ChatPort);
        Assert.True(serverSockets.Count >= Clients, $"the kernel shows {serverSockets.Count} server-side sockets");
        var descriptors = Directory.GetFiles("/proc/self/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .Count(target => target is not null && serverSockets.Contains(target));
        Assert.Equal(takesDescriptors ? Clients : 0, descriptors);

        await clients[0].SendAsync("still one room");
        await Task.WhenAll(clients.Skip(1).Select(c => c.WaitForLineAsync($"<{clients[0].Nick}> still one room")));
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
    }

    // "socket:[inode]" of every established socket whose local port is the chat port.
    private static HashSet<string> ServerSideSocketInodes(int chatPort)
    {
        var inodes = new HashSet<string>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadAllLines(file).Skip(1))
            {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1];
                var port = int.Parse(local[(local.LastIndexOf(':') + 1)..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
                if (port == chatPort && fields[3] == "01")
                {
                    inodes.Add($"socket:[{fields[9]}]");
                }
            }
        }

        return inodes;
    }
}
