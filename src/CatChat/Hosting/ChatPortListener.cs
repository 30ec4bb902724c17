using System.Net;
using System.Net.Sockets;
using CatChat.FrontDoors.Netcat;
using CatChat.Sessions;
using CatChat.Transport;
using Microsoft.Extensions.Options;

namespace CatChat.Hosting;

/// <summary>
/// The plain chat port: CatChat's own <see cref="SocketTransport"/>, each of whose connections goes to the
/// <see cref="NetcatConnectionHandler"/>, as Kestrel's TLS connections do.
/// </summary>
internal sealed partial class ChatPortListener(
    ListenerOptions options,
    IOptionsMonitor<SessionLimits> sessions,
    ChatEndpoints endpoints,
    NetcatConnectionHandler handler,
    ILogger<SocketTransport> logger) : IHostedLifecycleService
{
    private SocketTransport? _transport;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _transport = new SocketTransport(TransportOptions(options, sessions.CurrentValue), Serve, logger);
        try
        {
            endpoints.ChatEndPoint = _transport.Start();
        }
        catch (TransportUnavailableException ex)
        {
            throw new SettingException($"invalid setting --chat-transport (CatChat:ChatTransport): \"{options.ChatTransport}\" cannot be used here: {ex.Message}");
        }

        return Task.CompletedTask;
    }

    // Announced once every hosted service has started (Kestrel's HTTP too), so whoever waits for this line may use both.
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        // IPEndPoint writes IPv6 in brackets: tcp://[::]:1400.
        Listening(logger, endpoints.ChatEndPoint!);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The room has already told everyone goodbye (ApplicationStopping); the transport gives the sessions time to finish.
    public Task StopAsync(CancellationToken cancellationToken) => _transport?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    // TCP keepalive, so a peer that vanished without a FIN (a pulled cable, a sleeping laptop) is found by the kernel
    // without a PING a netcat user could not answer; with the settings in force when the connection arrives.
    private void Serve(TransportConnection connection)
    {
        var current = sessions.CurrentValue;
        connection.EnableKeepAlive((int)current.KeepAliveTime.TotalSeconds, (int)current.KeepAliveInterval.TotalSeconds, current.KeepAliveProbes);
        handler.Serve(connection);
    }

    private static SocketTransportOptions TransportOptions(ListenerOptions options, SessionLimits sessions) => new()
    {
        EndPoint = EndPointFor(options.Bind, options.ChatPort),
        Mode = options.ChatTransport switch
        {
            "epoll" => SocketTransportMode.Epoll,
            "io_uring" => SocketTransportMode.IoUring,
            _ => SocketTransportMode.Auto,
        },
        MaxConnections = sessions.MaxConnections,
        ShutdownTimeout = options.ShutdownTimeout,
    };

    // "*" means every interface: IPv6 with IPv4 mapped where the machine has IPv6, else IPv4.
    private static IPEndPoint EndPointFor(string bind, int port) =>
        bind == "*"
            ? new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, port)
            : new IPEndPoint(IPAddress.Parse(bind), port);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Chat listening on: tcp://{EndPoint}")]
    private static partial void Listening(ILogger logger, IPEndPoint endPoint);
}
