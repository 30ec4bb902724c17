using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace CatChat.Transport;

/// <summary>
/// One accepted connection, whichever way its socket is held (the epoll reactor's descriptor or an io_uring direct
/// descriptor), shaped as Kestrel's <see cref="ConnectionContext"/>: a duplex pipe, the peer's address, Abort. The
/// application that was handed it disposes it when it is done; the transport then forgets it.
/// </summary>
public abstract class TransportConnection : ConnectionContext, IDuplexPipe
{
    private static long s_lastId;

    private readonly SocketPeer _peer;
    private readonly Action<TransportConnection>? _disposed;
    private string? _connectionId;
    private IFeatureCollection? _features;
    private IDictionary<object, object?>? _items;
    private int _disposeCount;

    /// <param name="disposed">The transport's (one, shared) handler for a connection the application has disposed.</param>
    private protected TransportConnection(SocketPeer peer, Action<TransportConnection>? disposed)
    {
        _peer = peer;
        _disposed = disposed;
        Id = Interlocked.Increment(ref s_lastId);
    }

    /// <summary>A process-wide number, cheaper to keep than the id string.</summary>
    public long Id { get; }

    public override string ConnectionId
    {
        get => _connectionId ??= "tcp-" + Id.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        set => _connectionId = value;
    }

    public override IFeatureCollection Features => _features ??= new FeatureCollection();

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new Dictionary<object, object?>();
        set => _items = value;
    }

    public override IDuplexPipe Transport
    {
        get => this;
        set => throw new NotSupportedException("A socket connection's transport is fixed.");
    }

    public override EndPoint? RemoteEndPoint
    {
        get => _peer.ToEndPoint();
        set => throw new NotSupportedException("A socket connection's peer is fixed.");
    }

    /// <summary>True once TCP keepalive is on for this socket.</summary>
    public abstract bool KeepAliveEnabled { get; }

    PipeReader IDuplexPipe.Input => InputPipe;

    PipeWriter IDuplexPipe.Output => OutputPipe;

    // Links of the transport's list of open connections (an intrusive list costs no node per connection).
    internal TransportConnection? Previous { get; set; }

    internal TransportConnection? Next { get; set; }

    private protected abstract PipeReader InputPipe { get; }

    private protected abstract PipeWriter OutputPipe { get; }

    /// <summary>Closes the socket (once, whoever asks first); waiters learn of it before the peer does.</summary>
    private protected abstract void Close();

    /// <summary>Turns TCP keepalive on, so a peer that vanished without a FIN is found by the kernel.</summary>
    public abstract void EnableKeepAlive(int idleSeconds, int intervalSeconds, int probes);

    /// <summary>Closes at once: a waiting read fails, a waiting flush gives up, unsent bytes are dropped.</summary>
    public override void Abort(ConnectionAbortedException abortReason) => Close();

    /// <summary>
    /// The application is done with the connection: everything it wrote has been flushed (or given up on). Closes the
    /// socket and tells the transport, once. Synchronous: the returned task is always complete.
    /// </summary>
    public override ValueTask DisposeAsync()
    {
        Close();
        InputPipe.Complete();
        OutputPipe.Complete();
        if (Interlocked.Increment(ref _disposeCount) == 1)
        {
            _disposed?.Invoke(this);
        }

        return ValueTask.CompletedTask;
    }
}
