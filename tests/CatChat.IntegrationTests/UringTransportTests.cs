using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CatChat.Transport.Uring;
using Microsoft.AspNetCore.Connections;

namespace CatChat.IntegrationTests;

/// <summary>The io_uring transport (a ring's direct descriptor, its own reader and writer) over a real loopback connection.</summary>
public sealed class UringTransportTests : TransportContractTests
{
    private readonly TaskCompletionSource<UringConnection> _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Socket _listener = null!;
    private UringReactor _reactor = null!;
    private UringConnection _server = null!;

    public override async Task InitializeAsync()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        _reactor = new UringReactor(
            "test-uring", 16, connection => _accepted.TrySetResult(connection), ex => _accepted.TrySetException(ex), _ => { });
        _reactor.StartAccepting((int)_listener.Handle, _listener.LocalEndPoint);
        Client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Client.ConnectAsync(_listener.LocalEndPoint!);
        _server = await _accepted.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public override async Task DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
        _reactor.Dispose();
        _listener.Dispose();
    }

    private protected override PipeReader Input => ((IDuplexPipe)_server).Input;

    private protected override PipeWriter Output => ((IDuplexPipe)_server).Output;

    private protected override bool InputHoldsBuffer => ((UringInput)Input).HoldsBuffer;

    private protected override bool OutputHoldsBuffer => ((UringOutput)Output).HoldsBuffer;

    private protected override void AbortServer() => _server.Abort(new ConnectionAbortedException("test"));

    [Fact]
    public void PeerAddressComesFromTheAccept() => Assert.Equal(Client.LocalEndPoint, _server.RemoteEndPoint);
}
