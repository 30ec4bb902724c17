using System.IO.Pipelines;
using System.Net;
using CatChat.Connections;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace CatChat.Transport;

/// <summary>
/// What the chat listener keeps of every connection it accepted, whichever transport carries it (the epoll
/// reactor's descriptor or an io_uring direct descriptor): Kestrel's <see cref="ConnectionContext"/> shape, so
/// the same session code serves both and Kestrel's TLS connections, and the links of the listener's open list.
/// </summary>
internal abstract class ChatSocketConnection : ConnectionContext, IDuplexPipe, IKeepAliveSocket, ISessionEndListener
{
    private static long s_lastId;

    private readonly SocketPeer _peer;
    private readonly Action<ChatSocketConnection>? _sessionEnded;
    private string? _connectionId;
    private IFeatureCollection? _features;
    private IDictionary<object, object?>? _items;

    /// <param name="sessionEnded">The listener's (one, shared) handler for a finished session.</param>
    protected ChatSocketConnection(SocketPeer peer, Action<ChatSocketConnection>? sessionEnded)
    {
        _peer = peer;
        _sessionEnded = sessionEnded;
        Id = Interlocked.Increment(ref s_lastId);
    }

    /// <summary>A process-wide number, cheaper to keep than the id string.</summary>
    public long Id { get; }

    public override string ConnectionId
    {
        get => _connectionId ??= "chat-" + Id.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
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

    public abstract bool KeepAliveEnabled { get; }

    PipeReader IDuplexPipe.Input => InputPipe;

    PipeWriter IDuplexPipe.Output => OutputPipe;

    // Links of the listener's list of open connections (an intrusive list costs no node per connection).
    internal ChatSocketConnection? Previous { get; set; }

    internal ChatSocketConnection? Next { get; set; }

    protected abstract PipeReader InputPipe { get; }

    protected abstract PipeWriter OutputPipe { get; }

    /// <summary>Closes the socket (once, whoever asks first); waiters learn of it before the peer does.</summary>
    protected abstract void Close();

    public abstract void EnableKeepAlive(int idleSeconds, int intervalSeconds, int probes);

    /// <summary>Closes at once: a waiting read fails, a waiting flush gives up, unsent bytes are dropped.</summary>
    public override void Abort(ConnectionAbortedException abortReason) => Close();

    /// <summary>Called when the session is over: everything it wrote has been flushed (or given up on).</summary>
    public override ValueTask DisposeAsync()
    {
        Close();
        InputPipe.Complete();
        OutputPipe.Complete();
        return ValueTask.CompletedTask;
    }

    public void OnSessionEnded() => _sessionEnded?.Invoke(this);
}
