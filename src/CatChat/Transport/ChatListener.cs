using System.Net;
using System.Net.Sockets;
using CatChat.Connections;
using CatChat.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CatChat.Transport;

/// <summary>
/// The plain-TCP chat endpoint: the accept loop of the talk's reactor, on .NET's async socket engine.
/// It serves the chat port itself rather than through Kestrel because a Kestrel connection costs several
/// kilobytes while idle; a <see cref="SocketConnection"/> holds no buffers until bytes move. Each accepted
/// socket goes through <see cref="ConnectionAdmission"/> to the <see cref="ChatConnectionHandler"/>, exactly
/// like Kestrel's TLS connections.
/// </summary>
internal sealed class ChatListener(
    CatChatOptions options,
    ChatEndpoints endpoints,
    ConnectionAdmission admission,
    ChatConnectionHandler handler,
    ILogger<ChatListener> logger) : IHostedLifecycleService
{
    private const int AcceptBacklog = 4096;

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopAccepting = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private SocketConnection? _open;
    private int _openCount;
    private TaskCompletionSource? _allClosed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = Bind(EndPointFor(options.Bind, options.ChatPort));
        endpoints.ChatEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync(_listener);
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
        await _stopAccepting.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);

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
            return listener;
        }
        catch (SocketException ex)
        {
            listener.Dispose();

            // The same shape as Kestrel's bind failure, so the host names the setting and exits with its code.
            throw new IOException($"Failed to bind to address tcp://{endPoint}: {ex.Message}", ex);
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopAccepting.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopAccepting.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Out of file descriptors, or a peer that reset before we took it: keep accepting the others.
                TransportLog.AcceptFailed(logger, ex.SocketErrorCode, ex);
                if (ex.SocketErrorCode == SocketError.TooManyOpenSockets)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
                }

                continue;
            }

            socket.NoDelay = true;

            // Sends are tried at once without waiting (see SocketOutput); only a full socket buffer waits.
            socket.Blocking = false;
            _ = ServeAsync(new SocketConnection(socket));
        }
    }

    private async Task ServeAsync(SocketConnection connection)
    {
        Track(connection);
        try
        {
            if (await admission.TryAdmitAsync(connection).ConfigureAwait(false))
            {
                try
                {
                    await handler.OnConnectedAsync(connection).ConfigureAwait(false);
                }
                finally
                {
                    admission.Release(connection);
                }
            }
        }
        catch (Exception ex)
        {
            TransportLog.ConnectionFailed(logger, connection.ConnectionId, ex);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            Untrack(connection);
        }
    }

    private void Track(SocketConnection connection)
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

    private void Untrack(SocketConnection connection)
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
        List<SocketConnection> open = [];
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
