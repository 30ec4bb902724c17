using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace CatChat.Transport;

/// <summary>
/// One accepted chat socket, shaped as Kestrel's <see cref="ConnectionContext"/> so the same session code
/// serves it and Kestrel's TLS connections. It is deliberately small: no pipes, no feature collection
/// unless asked for, no buffers while idle (see <see cref="SocketInput"/> and <see cref="SocketOutput"/>).
/// </summary>
internal sealed class SocketConnection : ConnectionContext, IDuplexPipe, IConnectionSocketFeature
{
    private static long s_lastId;

    private readonly SocketInput _input;
    private readonly SocketOutput _output;
    private string? _connectionId;
    private IFeatureCollection? _features;
    private IDictionary<object, object?>? _items;
    private int _closed;

    public SocketConnection(Socket socket)
    {
        Socket = socket;
        _input = new SocketInput(socket);
        _output = new SocketOutput(socket);
        Id = Interlocked.Increment(ref s_lastId);
    }

    public Socket Socket { get; }

    /// <summary>A process-wide number, cheaper to keep than the id string.</summary>
    public long Id { get; }

    // Links of the listener's list of open connections (an intrusive list costs no node per connection).
    internal SocketConnection? Previous { get; set; }

    internal SocketConnection? Next { get; set; }

    public override string ConnectionId
    {
        get => _connectionId ??= "chat-" + Id.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        set => _connectionId = value;
    }

    public override IFeatureCollection Features => _features ??= CreateFeatures();

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
        get => Socket.RemoteEndPoint;
        set => throw new NotSupportedException("A socket connection's peer is fixed.");
    }

    public override EndPoint? LocalEndPoint
    {
        get => Socket.LocalEndPoint;
        set => throw new NotSupportedException("A socket connection's local address is fixed.");
    }

    PipeReader IDuplexPipe.Input => _input;

    PipeWriter IDuplexPipe.Output => _output;

    /// <summary>Closes at once: pending reads and sends fail, unsent bytes are dropped.</summary>
    public override void Abort(ConnectionAbortedException abortReason) => Close();

    /// <summary>Called when the session is over: everything it wrote has been flushed (or given up on).</summary>
    public override ValueTask DisposeAsync()
    {
        Close();
        _input.Complete();
        _output.Complete();
        return ValueTask.CompletedTask;
    }

    private void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }
        catch (ObjectDisposedException)
        {
        }

        Socket.Dispose();
    }

    private FeatureCollection CreateFeatures()
    {
        var features = new FeatureCollection();
        features.Set<IConnectionSocketFeature>(this);
        return features;
    }
}
