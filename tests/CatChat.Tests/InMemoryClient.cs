using System.IO.Pipelines;
using System.Text;
using CatChat.Testing;
using Microsoft.AspNetCore.Connections;

namespace CatChat.Tests;

/// <summary>The client end of an in-memory connection: writes raw bytes, collects the server's lines.</summary>
internal sealed class InMemoryClient : IAsyncDisposable
{
    private readonly PipeReader _fromServer;
    private readonly PipeWriter _toServer;
    private readonly LineCollector? _lines;

    /// <param name="reads">False for a peer that never reads what the server sends.</param>
    public InMemoryClient(ConnectionContext connection, PipeReader fromServer, PipeWriter toServer, bool reads)
    {
        Connection = connection;
        _fromServer = fromServer;
        _toServer = toServer;
        _lines = reads ? new LineCollector(fromServer) : null;
    }

    public ConnectionContext Connection { get; }

    public Task Session { get; set; } = Task.CompletedTask;

    public string Nick { get; set; } = string.Empty;

    /// <summary>Every line read so far, in order.</summary>
    public IReadOnlyList<string> Seen => Lines.Seen;

    private LineCollector Lines => _lines ?? throw new InvalidOperationException("This client does not read.");

    public Task SendAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _toServer.WriteAsync(bytes);
    }

    public Task HangUpAsync() => _toServer.CompleteAsync().AsTask();

    public Task<string> WaitForLineAsync(string exact) => Lines.WaitForLineAsync(exact);

    public Task<string> WaitForLineAsync(Func<string, bool> match, string? what = null) => Lines.WaitForLineAsync(match, what);

    /// <summary>Lines seen before <paramref name="marker"/>, waiting for the marker to arrive.</summary>
    public Task<IReadOnlyList<string>> LinesBeforeAsync(string marker) => Lines.LinesBeforeAsync(marker);

    public async Task WaitUntilClosedAsync()
    {
        // The session (the handler's task) ending is what makes Kestrel close a real socket.
        try
        {
            await Session.WaitAsync(LineCollector.Patience);
        }
        catch (TimeoutException)
        {
            Assert.Fail("The server did not end the connection; saw:\n" + string.Join("\n", _lines?.Seen ?? []));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _toServer.CompleteAsync();
        // Bounded: a session that does not end is already reported by the test that waited for it.
        await Task.WhenAny(Session.WaitAsync(LineCollector.Patience));
        await _fromServer.CompleteAsync();
    }
}
