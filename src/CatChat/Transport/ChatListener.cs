using System.Net;
using System.Net.Sockets;
using CatChat.Connections;
using CatChat.Hosting;
using CatChat.Transport.Native;
using CatChat.Transport.Uring;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CatChat.Transport;

/// <summary>
/// The plain-TCP chat endpoint: the talk's reactor and its accept loop. It serves the chat port itself rather
/// than through Kestrel, because a Kestrel connection (or even a bare .NET <see cref="Socket"/>) costs kilobytes
/// while idle: here an accepted descriptor goes straight to the <see cref="EpollReactor"/> inside a small
/// <see cref="SocketConnection"/>. Each connection goes through <see cref="ConnectionAdmission"/> to the
/// <see cref="ChatConnectionHandler"/>, exactly like Kestrel's TLS connections.
/// </summary>
internal sealed class ChatListener(
    CatChatOptions options,
    ChatEndpoints endpoints,
    ConnectionAdmission admission,
    ChatConnectionHandler handler,
    ILogger<ChatListener> logger) : IHostedLifecycleService, IReadinessHandler
{
    private const int AcceptBacklog = 4096;
    private static readonly TimeSpan OutOfDescriptorsPause = TimeSpan.FromMilliseconds(100);

    private Socket? _listener;
    private EpollReactor[] _reactors = [];
    private int _nextReactor;
    private ulong _listenerRegistration;
    private ITimer? _acceptRetry;
    private readonly OpenConnections _open = new();
    private UringOverflow? _uring;
    private Action<ChatSocketConnection>? _sessionEnded; // One delegate for every connection, not one each.
    private volatile bool _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = Bind(EndPointFor(options.Bind, options.ChatPort));
        endpoints.ChatEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        // One reactor per core: each runs its connections' reads inline, so they share the work as the cores allow.
        _reactors = new EpollReactor[Environment.ProcessorCount];
        for (var i = 0; i < _reactors.Length; i++)
        {
            _reactors[i] = new EpollReactor($"catchat-reactor-{i}", ex => TransportLog.ReactorHandlerFailed(logger, ex));
        }

        FlushLane.BatchSends = options.SendBatching && SendBatchingAvailable();
        if (options.ChatTransport != "epoll")
        {
            _uring = new UringOverflow(options, QueueServe, _sessionEnded ??= OnSessionEnded, logger);
        }

        if (options.ChatTransport == "io_uring")
        {
            // Asked for by name: a machine without io_uring fails the start rather than quietly serving another way.
            if (!_uring!.TryStart(_listener, endpoints.ChatEndPoint))
            {
                throw new TransportUnavailableException($"io_uring is not available on this machine ({_uring.UnavailableReason})");
            }
        }
        else
        {
            _listenerRegistration = _reactors[0].Register((int)_listener.Handle, this, Libc.EPOLLIN);
        }

        return Task.CompletedTask;
    }

    // Announced once every hosted service has started (Kestrel's HTTP too), so whoever waits for this line may use both.
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        // IPEndPoint writes IPv6 in brackets: tcp://[::]:1400.
        TransportLog.Listening(logger, endpoints.ChatEndPoint!);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        StopAccepting();

        // The room has already told everyone goodbye (ApplicationStopping); give the sessions time to finish.
        try
        {
            await _open.AllClosed().WaitAsync(options.ShutdownTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            AbortAll();
        }
        finally
        {
            // Aborted connections need no events to finish: their waiters were woken by the abort.
            foreach (var reactor in _reactors)
            {
                reactor.Dispose();
            }

            _uring?.Dispose();
        }
    }

    /// <summary>The listening socket is readable: accept everything queued (edge-triggered, so all of it).</summary>
    public void OnReady(uint events) => AcceptPending();

    // One ring made and dropped at start-up, so a machine without io_uring says so once, in the log.
    private bool SendBatchingAvailable()
    {
        using var probe = SendBatch.TryCreate(out var reason);
        if (probe is null)
        {
            TransportLog.SendBatchingUnavailable(logger, reason!);
        }

        return probe is not null;
    }

    // "*" means every interface: IPv6 with IPv4 mapped where the machine has IPv6, else IPv4.
    private static IPEndPoint EndPointFor(string bind, int port) =>
        bind == "*"
            ? new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, port)
            : new IPEndPoint(IPAddress.Parse(bind), port);

    private static Socket Bind(IPEndPoint endPoint)
    {
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(endPoint);
            listener.Listen(AcceptBacklog);

            // The reactor accepts until the kernel says there is nobody left; a blocking accept would stall it.
            listener.Blocking = false;
            return listener;
        }
        catch (SocketException ex)
        {
            listener.Dispose();

            // The same shape as Kestrel's bind failure, so the host names the setting and exits with its code.
            throw new IOException($"Failed to bind to address tcp://{endPoint}: {ex.Message}", ex);
        }
    }

    private void StopAccepting()
    {
        _stopping = true;
        _acceptRetry?.Dispose();
        _uring?.StopAccepting();
        if (_listener is not null)
        {
            _reactors[0].Unregister(_listenerRegistration);
            _listener.Dispose();
        }
    }

    private unsafe void AcceptPending()
    {
        var address = stackalloc byte[Libc.SocketAddressBytes];
        while (!_stopping)
        {
            var length = Libc.SocketAddressBytes;
            int fd;
            try
            {
                fd = Libc.Accept(_listener!.SafeHandle, address, &length, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
            }
            catch (ObjectDisposedException)
            {
                return; // Stopped.
            }

            if (fd < 0)
            {
                var errno = Libc.Errno;
                if (errno == Libc.EAGAIN)
                {
                    return;
                }

                if (errno is Libc.EINTR or Libc.ECONNABORTED)
                {
                    continue; // A peer that reset before we took it: take the next.
                }

                // Out of descriptors: past this point connections live in io_uring rings, which need none.
                if (errno is Libc.EMFILE or Libc.ENFILE && _uring is not null && _uring.TryStart(_listener, endpoints.ChatEndPoint))
                {
                    return;
                }

                var error = SocketErrors.FromErrno(errno);
                TransportLog.AcceptFailed(logger, (error as SocketException)?.SocketErrorCode ?? SocketError.SocketError, error);
                if (errno is Libc.EMFILE or Libc.ENFILE or Libc.ENOBUFS or Libc.ENOMEM)
                {
                    // The queued connections raise no new event: look again once some descriptors may be free.
                    _acceptRetry?.Dispose();
                    _acceptRetry = TimeProvider.System.CreateTimer(
                        static listener => ((ChatListener)listener!).AcceptPending(), this, OutOfDescriptorsPause, Timeout.InfiniteTimeSpan);
                }

                return;
            }

            Accepted(new SocketHandle(fd), SocketPeer.Read(new ReadOnlySpan<byte>(address, length)));

            // Descriptors are handed out lowest first, so this one's number says how full the table is: the rings
            // take over before it is full, and the epoll listener stops.
            if (_uring is not null && _uring.IsDue(fd) && _uring.TryStart(_listener, endpoints.ChatEndPoint))
            {
                _reactors[0].Unregister(_listenerRegistration);
                return;
            }
        }
    }

    private void QueueServe(ChatSocketConnection connection) =>
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Listener.Serve(state.Connection), (Listener: this, Connection: connection), preferLocal: false);

    private unsafe void Accepted(SocketHandle socket, SocketPeer peer)
    {
        SocketConnection connection;
        try
        {
            var noDelay = 1;
            _ = Libc.SetSocketOption(socket, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, &noDelay, sizeof(int));
            var reactor = _reactors[(uint)Interlocked.Increment(ref _nextReactor) % _reactors.Length];
            connection = new SocketConnection(socket, peer, reactor, _sessionEnded ??= OnSessionEnded);
        }
        catch (IOException ex)
        {
            socket.Dispose();
            TransportLog.AcceptFailed(logger, SocketError.SocketError, ex);
            return;
        }

        // The session's first steps (banner, join) run on the thread pool, not on the reactor's thread.
        QueueServe(connection);
    }

    // Admission, then the session. No async method waits here for the session to end (one suspended per idle
    // connection would cost each a heap box): the session reports its end through ISessionEndListener.
    private void Serve(ChatSocketConnection connection)
    {
        _open.Add(connection);
        try
        {
            var admitted = admission.TryAdmitAsync(connection);
            if (!admitted.IsCompletedSuccessfully)
            {
                _ = ServeAfterAdmissionAsync(connection, admitted);
            }
            else if (admitted.Result)
            {
                StartSession(connection);
            }
            else
            {
                Finish(connection); // Refused: its one error line has been written.
            }
        }
        catch (Exception ex)
        {
            TransportLog.ConnectionFailed(logger, connection.ConnectionId, ex);
            Finish(connection);
        }
    }

    // Admission had to wait for its refusal line to leave (or failed): the rare path, awaited.
    private async Task ServeAfterAdmissionAsync(ChatSocketConnection connection, ValueTask<bool> admitted)
    {
        try
        {
            if (await admitted.ConfigureAwait(false))
            {
                StartSession(connection);
                return;
            }
        }
        catch (Exception ex)
        {
            TransportLog.ConnectionFailed(logger, connection.ConnectionId, ex);
        }

        Finish(connection);
    }

    private void StartSession(ChatSocketConnection connection)
    {
        try
        {
            // The session calls OnSessionEnded when it is over, whatever way it ends.
            _ = handler.OnConnectedAsync(connection);
        }
        catch (Exception ex)
        {
            TransportLog.ConnectionFailed(logger, connection.ConnectionId, ex);
            OnSessionEnded(connection);
        }
    }

    private void OnSessionEnded(ChatSocketConnection connection)
    {
        admission.Release(connection);
        Finish(connection);
    }

    private void Finish(ChatSocketConnection connection)
    {
        _ = connection.DisposeAsync(); // Synchronous: it closes the descriptor.
        _open.Remove(connection);
    }

    private void AbortAll()
    {
        foreach (var connection in _open.Snapshot())
        {
            connection.Abort(new ConnectionAbortedException("The server is shutting down."));
        }
    }
}
