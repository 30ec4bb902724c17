using CatChat.IntegrationTests.Support;

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
    [Fact]
    public async Task ItsConnectionsTakeNoDescriptorOfTheProcess()
    {
        const int Clients = 100;
        await using var server = await ChatServer.StartAsync("--chat-transport", "io_uring", "--presence-notices", "false");
        var before = Directory.GetFiles("/proc/self/fd").Length;

        var clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => server.ConnectAsync()));
        var after = Directory.GetFiles("/proc/self/fd").Length;

        // The test's own client sockets, and nothing for the server's side of them (epoll would add as many again).
        Assert.InRange(after - before, Clients, Clients + 20);
        await clients[0].SendAsync("still one room");
        await Task.WhenAll(clients.Skip(1).Select(c => c.WaitForLineAsync($"<{clients[0].Nick}> still one room")));
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
    }
}
