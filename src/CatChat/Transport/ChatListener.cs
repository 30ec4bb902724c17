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

    // Descriptors the process keeps for everything but chat connections (database, HTTP, logs, the runtime).
    private const int DescriptorHeadroom = 512;
    private static readonly TimeSpan OutOfDescriptorsPause = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private Socket? _listener;
    private EpollReactor[] _reactors = [];
    private int _nextReactor;
    private ulong _listenerRegistration;
    private ITimer? _acceptRetry;
    private UringAcceptors? _uring;
    private bool _uringAccepting;
    private bool _uringUnavailable;
    private long _uringThreshold = long.MaxValue;
    private Action<ChatSocketConnection>? _sessionEnded;
    private volatile bool _stopping;
    private ChatSocketConnection? _open;
    private int _openCount;
    private TaskCompletionSource? _allClosed;

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

        if (options.ChatTransport == "io_uring")
        {
            // Asked for by name: a machine without io_uring fails the start rather than quietly serving another way.
            if (!TryStartUring())
            {
                throw new IOException("--chat-transport io_uring: io_uring is not available on this machine");
            }
        }
        else
        {
            PrepareUring();
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
        Task drained;
        lock (_gate)
        {
            drained = _openCount == 0 ? Task.CompletedTask : (_allClosed ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        try
        {
            await drained.WaitAsync(options.ShutdownTimeout, cancellationToken).ConfigureAwait(false);
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
        lock (_gate)
        {
            _stopping = true;
        }

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
                if (errno is Libc.EMFILE or Libc.ENFILE && options.ChatTransport == "auto" && TryStartUring())
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

            // Descriptors are handed out lowest first, so this one's number says how full the table is. The runtime
            // itself must still open files (its GC reads /proc/meminfo and fails the process when it cannot), so the
            // rings take over before the table is full, and the epoll listener stops.
            if (fd >= _uringThreshold && TryStartUring())
            {
                _reactors[0].Unregister(_listenerRegistration);
                return;
            }
        }
    }

    // Only where the chat may admit more connections than there are descriptors.
    private void PrepareUring()
    {
        var threshold = UringAcceptors.OpenFilesLimit() - DescriptorHeadroom;
        if (options.ChatTransport == "auto" && options.MaxConnections > threshold)
        {
            _uringThreshold = threshold;
        }
    }

    // Once started, the rings accept beside (in auto, instead of) the epoll listener for as long as the chat runs.
    // They are made here, while the headroom still has the few descriptors each ring needs.
    private bool TryStartUring()
    {
        lock (_gate)
        {
            if (_uringAccepting)
            {
                return true;
            }

            if (_uringUnavailable || _stopping)
            {
                return false;
            }

            try
            {
                var beyondDescriptors = options.ChatTransport == "io_uring" ? options.MaxConnections : options.MaxConnections - _uringThreshold;
                _uring = UringAcceptors.Create(
                    (int)Math.Max(1, beyondDescriptors),
                    connection => QueueServe(connection),
                    ex => TransportLog.AcceptFailed(logger, (ex as SocketException)?.SocketErrorCode ?? SocketError.SocketError, ex),
                    _sessionEnded ??= OnSessionEnded);
            }
            catch (IOException ex)
            {
                _uringUnavailable = true;
                TransportLog.UringUnavailable(logger, ex.Message);
                return false;
            }

            _uringAccepting = true;
            TransportLog.UringStarted(logger, _uring.Rings, _uring.PerRing);
            _uring.StartAccepting((int)_listener!.Handle, endpoints.ChatEndPoint);
            return true;
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
        Track(connection);
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
        Untrack(connection);
    }

    private void Track(ChatSocketConnection connection)
    {
        lock (_gate)
        {
            connection.Next = _open;
            if (_open is not null)
            {
                _open.Previous = connection;
            }

            _open = connection;
            _openCount++;
        }
    }

    private void Untrack(ChatSocketConnection connection)
    {
        lock (_gate)
        {
            if (connection.Previous is not null)
            {
                connection.Previous.Next = connection.Next;
            }
            else
            {
                _open = connection.Next;
            }

            if (connection.Next is not null)
            {
                connection.Next.Previous = connection.Previous;
            }

            connection.Previous = connection.Next = null;
            if (--_openCount == 0)
            {
                _allClosed?.TrySetResult();
            }
        }
    }

    private void AbortAll()
    {
        List<ChatSocketConnection> open = [];
        lock (_gate)
        {
            for (var connection = _open; connection is not null; connection = connection.Next)
            {
                open.Add(connection);
            }
        }

        foreach (var connection in open)
        {
            connection.Abort(new ConnectionAbortedException("The server is shutting down."));
        }
    }
}
