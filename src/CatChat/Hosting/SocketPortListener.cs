using System.Net;
using System.Net.Sockets;
using CatChat.Sessions;
using CatChat.Transport;
using Microsoft.Extensions.Options;

namespace CatChat.Hosting;

/// <summary>
/// A plain (not TLS) front-door port on CatChat's own <see cref="SocketTransport"/>: each connection goes to the front
/// door's Factory, as Kestrel's TLS connections do. One per front door with a plain port (netcat's, IRC's).
/// </summary>
internal abstract class SocketPortListener(
    ListenerOptions options,
    IOptionsMonitor<SessionLimits> sessions,
    SessionFactory handler,
    ILogger<SocketTransport> logger) : IHostedLifecycleService
{
    private SocketTransport? _transport;

    /// <summary>The port to listen on; null when this front door's port is off.</summary>
    protected abstract int? Port { get; }

    /// <summary>Where the bound address is told (the endpoints others read after start).</summary>
    protected abstract void Bound(IPEndPoint endPoint);

    /// <summary>The log line that says the port is listening.</summary>
    protected abstract void LogListening(ILogger logger);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Port is not { } port)
        {
            return Task.CompletedTask;
        }

        _transport = new SocketTransport(TransportOptions(port), Serve, logger);
        try
        {
            Bound(_transport.Start());
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
        if (_transport is not null)
        {
            LogListening(logger);
        }

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

    private SocketTransportOptions TransportOptions(int port) => new()
    {
        EndPoint = EndPointFor(options.Bind, port),
        Mode = options.ChatTransport switch
        {
            "epoll" => SocketTransportMode.Epoll,
            "io_uring" => SocketTransportMode.IoUring,
            _ => SocketTransportMode.Auto,
        },
        MaxConnections = sessions.CurrentValue.MaxConnections,
        ShutdownTimeout = options.ShutdownTimeout,
    };

    // "*" means every interface: IPv6 with IPv4 mapped where the machine has IPv6, else IPv4.
    private static IPEndPoint EndPointFor(string bind, int port) =>
        bind == "*"
            ? new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, port)
            : new IPEndPoint(IPAddress.Parse(bind), port);
}
