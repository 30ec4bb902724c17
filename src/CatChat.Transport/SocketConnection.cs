using System.IO.Pipelines;
using System.Net;
using CatChat.Transport.Native;
using Microsoft.AspNetCore.Connections;

namespace CatChat.Transport;

/// <summary>
/// One accepted socket, shaped as Kestrel's <see cref="ConnectionContext"/> so the same application code
/// serves it and Kestrel's TLS connections. It is deliberately small: a file descriptor registered with the
/// <see cref="EpollReactor"/>, no pipes, no feature collection unless asked for, and no buffers or pending
/// operations while idle (see <see cref="SocketInput"/> and <see cref="SocketOutput"/>).
/// </summary>
internal sealed class SocketConnection : TransportConnection, IReadinessHandler
{
    private const uint InputEvents = Libc.EPOLLIN | Libc.EPOLLRDHUP | Libc.EPOLLHUP | Libc.EPOLLERR;
    private const uint OutputEvents = Libc.EPOLLOUT | Libc.EPOLLHUP | Libc.EPOLLERR;

    private readonly SocketHandle _handle;
    private readonly EpollReactor _reactor;
    private readonly SocketInput _input;
    private readonly SocketOutput _output;
    private readonly ulong _registration;
    private int _closed;

    /// <summary>Takes ownership of an accepted, non-blocking descriptor and registers it with the reactor.</summary>
    /// <param name="disposed">The transport's (one, shared) handler for a connection the application has disposed.</param>
    public SocketConnection(SocketHandle handle, SocketPeer peer, EpollReactor reactor, Action<TransportConnection>? disposed = null)
        : base(peer, disposed)
    {
        _handle = handle;
        _reactor = reactor;
        _input = new SocketInput(handle);
        _output = new SocketOutput(handle);
        _registration = reactor.Register(handle.Fd, this);
    }

    public override EndPoint? LocalEndPoint
    {
        get => LocalPeer().ToEndPoint();
        set => throw new NotSupportedException("A socket connection's local address is fixed.");
    }

    public override bool KeepAliveEnabled => GetOption(Libc.SOL_SOCKET, Libc.SO_KEEPALIVE) != 0;

    private protected override PipeReader InputPipe => _input;

    private protected override PipeWriter OutputPipe => _output;

    public override void EnableKeepAlive(int idleSeconds, int intervalSeconds, int probes)
    {
        SetOption(Libc.SOL_SOCKET, Libc.SO_KEEPALIVE, 1);
        SetOption(Libc.IPPROTO_TCP, Libc.TCP_KEEPIDLE, idleSeconds);
        SetOption(Libc.IPPROTO_TCP, Libc.TCP_KEEPINTVL, intervalSeconds);
        SetOption(Libc.IPPROTO_TCP, Libc.TCP_KEEPCNT, probes);
    }

    /// <summary>Sets an integer socket option; false when the socket refuses (or is already closed).</summary>
    public unsafe bool SetOption(int level, int name, int value)
    {
        try
        {
            return Libc.SetSocketOption(_handle, level, name, &value, sizeof(int)) == 0;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public void OnReady(uint events)
    {
        if ((events & InputEvents) != 0)
        {
            _input.OnReadable();
        }

        if ((events & OutputEvents) != 0)
        {
            _output.OnWritable();
        }
    }

    private protected override void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        // Waiters learn of the abort first, so the hang-up the shutdown causes does not read as the peer's end.
        _input.OnAborted();
        _output.OnAborted();
        try
        {
            // A FIN now, even while another thread's send still holds the descriptor open.
            _ = Libc.Shutdown(_handle, Libc.SHUT_RDWR);
        }
        catch (ObjectDisposedException)
        {
        }

        _reactor.Unregister(_registration);
        _handle.Dispose();
    }

    private unsafe int GetOption(int level, int name)
    {
        int value = 0, length = sizeof(int);
        try
        {
            return Libc.GetSocketOption(_handle, level, name, &value, &length) == 0 ? value : 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    private unsafe SocketPeer LocalPeer()
    {
        var address = stackalloc byte[Libc.SocketAddressBytes];
        var length = Libc.SocketAddressBytes;
        try
        {
            return Libc.GetSocketName(_handle, address, &length) == 0
                ? SocketPeer.Read(new ReadOnlySpan<byte>(address, length))
                : default;
        }
        catch (ObjectDisposedException)
        {
            return default;
        }
    }
}
