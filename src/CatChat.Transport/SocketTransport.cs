using System.Net;
using System.Net.Sockets;
using CatChat.Transport.Native;
using CatChat.Transport.Uring;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CatChat.Transport;

/// <summary>
/// A TCP listener and its accept loop, the talk's reactor: it serves its port itself rather than through Kestrel,
/// because a Kestrel connection (or even a bare .NET <see cref="Socket"/>) costs kilobytes while idle. An accepted
/// descriptor goes straight to an <see cref="EpollReactor"/> inside a small <see cref="SocketConnection"/> (or, past
/// the open-files limit, into an io_uring ring), and each connection is handed, on the thread pool, to the delegate
/// the application gave, as Kestrel's transports hand a <see cref="ConnectionContext"/> to their middleware. The
/// application disposes the connection when it is done with it.
/// </summary>
public sealed class SocketTransport : IReadinessHandler
{
    private const int AcceptBacklog = 4096;
    private static readonly TimeSpan OutOfDescriptorsPause = TimeSpan.FromMilliseconds(100);

    private readonly SocketTransportOptions _options;
    private readonly Action<TransportConnection> _onConnection;
    private readonly ILogger _logger;
    private readonly OpenConnections _open = new();
    private readonly Action<TransportConnection> _forget; // One delegate for every connection, not one each.
    private int _freed;
    private Socket? _listener;
    private EpollReactor[] _reactors = [];
    private int _nextReactor;
    private ulong _listenerRegistration;
    private ITimer? _acceptRetry;
    private UringOverflow? _uring;
    private volatile bool _stopping;

    /// <param name="onConnection">Called on the thread pool with each accepted connection; it must not throw, and must
    /// dispose the connection once done with it.</param>
    public SocketTransport(SocketTransportOptions options, Action<TransportConnection> onConnection, ILogger logger)
    {
        _options = options;
        _onConnection = onConnection;
        _logger = logger;
        _forget = Forget;
    }

    /// <summary>The address bound, once started (port 0 picks one).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Connections handed to the application and not yet disposed.</summary>
    public int OpenConnections => _open.Count;

    /// <summary>
    /// Binds and starts accepting. Throws <see cref="IOException"/> when the address cannot be bound, and
    /// <see cref="TransportUnavailableException"/> when io_uring was asked for and the kernel refuses it.
    /// </summary>
    public IPEndPoint Start()
    {
        _listener = Bind(_options.EndPoint);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;

        // One reactor per core: each runs its connections' reads inline, so they share the work as the cores allow.
        _reactors = new EpollReactor[Environment.ProcessorCount];
        for (var i = 0; i < _reactors.Length; i++)
        {
            _reactors[i] = new EpollReactor($"catchat-reactor-{i}", ex => TransportLog.ReactorHandlerFailed(_logger, ex));
        }

        if (_options.Mode != SocketTransportMode.Epoll)
        {
            _uring = new UringOverflow(_options, QueueServe, _forget, _logger);
        }

        if (_options.Mode == SocketTransportMode.IoUring)
        {
            // Asked for by name: a machine without io_uring fails the start rather than quietly serving another way.
            if (!_uring!.TryStart(_listener, LocalEndPoint))
            {
                var reason = _uring.UnavailableReason ?? "io_uring is not available on this machine";
                Dispose();
                throw new TransportUnavailableException(reason);
            }
        }
        else
        {
            _listenerRegistration = _reactors[0].Register((int)_listener.Handle, this, Libc.EPOLLIN);
        }

        return LocalEndPoint;
    }

    /// <summary>
    /// Stops accepting, waits (up to the options' shutdown timeout) for the application to dispose its connections,
    /// aborts whoever is left, and frees the reactors and rings.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        StopAccepting();
        try
        {
            await _open.AllClosed().WaitAsync(_options.ShutdownTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            AbortAll();
        }
        finally
        {
            // Aborted connections need no events to finish: their waiters were woken by the abort.
            Dispose();
        }
    }

    /// <summary>The listening socket is readable: accept everything queued (edge-triggered, so all of it).</summary>
    void IReadinessHandler.OnReady(uint events) => AcceptPending();

    private void Dispose()
    {
        if (Interlocked.Exchange(ref _freed, 1) != 0)
        {
            return;
        }

        foreach (var reactor in _reactors)
        {
            reactor.Dispose();
        }

        _uring?.Dispose();
        _listener?.Dispose();
    }

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
        if (_listener is not null && Volatile.Read(ref _freed) == 0)
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
                if (errno is Libc.EMFILE or Libc.ENFILE && _uring is not null && _uring.TryStart(_listener, LocalEndPoint))
                {
                    return;
                }

                var error = SocketErrors.FromErrno(errno);
                TransportLog.AcceptFailed(_logger, (error as SocketException)?.SocketErrorCode ?? SocketError.SocketError, error);
                if (errno is Libc.EMFILE or Libc.ENFILE or Libc.ENOBUFS or Libc.ENOMEM)
                {
                    // The queued connections raise no new event: look again once some descriptors may be free.
                    _acceptRetry?.Dispose();
                    _acceptRetry = TimeProvider.System.CreateTimer(
                        static transport => ((SocketTransport)transport!).AcceptPending(), this, OutOfDescriptorsPause, Timeout.InfiniteTimeSpan);
                }

                return;
            }

            Accepted(new SocketHandle(fd), SocketPeer.Read(new ReadOnlySpan<byte>(address, length)));

            // Descriptors are handed out lowest first, so this one's number says how full the table is: the rings
            // take over before it is full, and the epoll listener stops.
            if (_uring is not null && _uring.IsDue(fd) && _uring.TryStart(_listener, LocalEndPoint))
            {
                _reactors[0].Unregister(_listenerRegistration);
                return;
            }
        }
    }

    private void QueueServe(TransportConnection connection) =>
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Transport.Serve(state.Connection), (Transport: this, Connection: connection), preferLocal: false);

    private unsafe void Accepted(SocketHandle socket, SocketPeer peer)
    {
        SocketConnection connection;
        try
        {
            var noDelay = 1;
            _ = Libc.SetSocketOption(socket, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, &noDelay, sizeof(int));
            var reactor = _reactors[(uint)Interlocked.Increment(ref _nextReactor) % _reactors.Length];
            connection = new SocketConnection(socket, peer, reactor, _forget);
        }
        catch (IOException ex)
        {
            socket.Dispose();
            TransportLog.AcceptFailed(_logger, SocketError.SocketError, ex);
            return;
        }

        // The session's first steps (banner, join) run on the thread pool, not on the reactor's thread.
        QueueServe(connection);
    }

    // The connection is the application's until it disposes it (Forget).
    private void Serve(TransportConnection connection)
    {
        _open.Add(connection);
        try
        {
            _onConnection(connection);
        }
        catch (Exception ex)
        {
            TransportLog.ConnectionFailed(_logger, connection.ConnectionId, ex);
            _ = connection.DisposeAsync();
        }
    }

    private void Forget(TransportConnection connection) => _open.Remove(connection);

    private void AbortAll()
    {
        foreach (var connection in _open.Snapshot())
        {
            connection.Abort(new ConnectionAbortedException("The server is shutting down."));
        }
    }
}
