using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CatChat.IntegrationTests.Support;
using CatChat.Testing;
using CatChat.Transport;
using Microsoft.AspNetCore.Connections;

namespace CatChat.IntegrationTests;

/// <summary>The chat's own socket transport (epoll reactor, bare descriptor) over a real loopback connection.</summary>
public sealed class SocketTransportTests : TransportContractTests
{
    private readonly EpollReactor _reactor = new("test-reactor", ex => throw new InvalidOperationException("a handler failed", ex));
    private SocketConnection _server = null!;

    public override async Task InitializeAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        Client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Client.ConnectAsync(listener.LocalEndPoint!);
        var accepted = await listener.AcceptAsync();
        _server = new SocketConnection(AcceptedDescriptor.Take(accepted), default, _reactor);
    }

    public override async Task DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
        _reactor.Dispose();
    }

    private protected override PipeReader Input => ((IDuplexPipe)_server).Input;

    private protected override PipeWriter Output => ((IDuplexPipe)_server).Output;

    private protected override bool InputHoldsBuffer => ((SocketInput)Input).HoldsBuffer;

    private protected override bool OutputHoldsBuffer => ((SocketOutput)Output).HoldsBuffer;

    private protected override void AbortServer() => _server.Abort(new ConnectionAbortedException("test"));

    [Fact]
    public void PeerAddressesReadFromTheKernelsSocketAddresses()
    {
        // sockaddr_in: family 2, port 4242 big-endian, 192.0.2.7.
        byte[] v4 = [2, 0, 0x10, 0x92, 192, 0, 2, 7, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 4242), SocketPeer.Read(v4).ToEndPoint());

        // sockaddr_in6: family 10, port 1400, flow info, 2001:db8::1, scope id 0.
        var v6 = new byte[28];
        v6[0] = 10;
        v6[2] = 0x05;
        v6[3] = 0x78;
        IPAddress.Parse("2001:db8::1").GetAddressBytes().CopyTo(v6, 8);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 1400), SocketPeer.Read(v6).ToEndPoint());

        Assert.Null(SocketPeer.Read([1, 0]).ToEndPoint()); // AF_UNIX: not a TCP peer.
    }
}
