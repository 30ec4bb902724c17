using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CatChat.IntegrationTests.Support;
using CatChat.Transport;

namespace CatChat.IntegrationTests;

/// <summary>The epoll transport's reader over a real loopback connection, woken by hand as its reactor would wake it.</summary>
public sealed class SocketInputTests
{
    [Fact]
    public async Task AWakeThatFindsNothingLeavesTheParkedReadToFinishWithTheNextBytes()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var handle = AcceptedDescriptor.Take(await listener.AcceptAsync());
        var input = new SocketInput(handle);

        // Nothing sent yet: the read parks, and its reader awaits it.
        var read = input.ReadAsync().AsTask();
        Assert.False(read.IsCompleted);

        // A readiness event whose bytes were already read (an IRC client's JOIN right behind its registration, say).
        input.OnReadable();
        Assert.False(read.IsCompleted);

        // On loopback the bytes are in the receive queue once the send returns; then the reactor's next event.
        await client.SendAsync("JOIN #lobby\r\n"u8.ToArray());
        input.OnReadable();

        var result = await read.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("JOIN #lobby\r\n", Encoding.ASCII.GetString(result.Buffer.ToArray()));
        input.AdvanceTo(result.Buffer.End);
        input.Complete();
    }
}
