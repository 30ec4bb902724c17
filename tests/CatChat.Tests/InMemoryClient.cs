using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace CatChat.Tests;

/// <summary>The client end of an in-memory connection: writes raw bytes, collects the server's lines.</summary>
internal sealed class InMemoryClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly PipeReader _fromServer;
    private readonly PipeWriter _toServer;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];
    private readonly Task _reader;

    /// <param name="reads">False for a peer that never reads what the server sends.</param>
    public InMemoryClient(ConnectionContext connection, PipeReader fromServer, PipeWriter toServer, bool reads)
    {
        Connection = connection;
        _fromServer = fromServer;
        _toServer = toServer;
        _reader = reads ? Task.Run(ReadLinesAsync) : new TaskCompletionSource().Task;
    }

    public ConnectionContext Connection { get; }

    public Task Session { get; set; } = Task.CompletedTask;

    public string Nick { get; set; } = string.Empty;

    /// <summary>Every line read so far, in order.</summary>
    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    public Task SendAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _toServer.WriteAsync(bytes);
    }

    public Task HangUpAsync() => _toServer.CompleteAsync().AsTask();

    public async Task<string> WaitForLineAsync(string exact) => await WaitForLineAsync(line => line == exact, exact);

    public async Task<string> WaitForLineAsync(Func<string, bool> match, string? what = null)
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(timeout.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    if (match(line))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new Xunit.Sdk.XunitException(
            $"Expected a line {what ?? "matching the condition"}; saw:\n" + string.Join("\n", Seen));
    }

    /// <summary>Lines seen before <paramref name="marker"/>, waiting for the marker to arrive.</summary>
    public async Task<IReadOnlyList<string>> LinesBeforeAsync(string marker)
    {
        await WaitForLineAsync(marker);
        var seen = Seen;
        return [.. seen.Take(seen.ToList().IndexOf(marker))];
    }

    public async Task WaitUntilClosedAsync()
    {
        // The session (the handler's task) ending is what makes Kestrel close a real socket.
        var finished = await Task.WhenAny(Session, Task.Delay(Patience));
        Assert.True(finished == Session, "The server did not end the connection; saw:\n" + string.Join("\n", Seen));
    }

    public async ValueTask DisposeAsync()
    {
        await _toServer.CompleteAsync();
        await Task.WhenAny(Session, Task.Delay(Patience));
        await _fromServer.CompleteAsync();
    }

    private async Task ReadLinesAsync()
    {
        while (true)
        {
            var result = await _fromServer.ReadAsync();
            var buffer = result.Buffer;
            while (TryTakeLine(ref buffer, out var line))
            {
                lock (_seen)
                {
                    _seen.Add(line);
                }

                _lines.Writer.TryWrite(line);
            }

            _fromServer.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        _lines.Writer.TryComplete();
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out string line)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out ReadOnlySequence<byte> bytes, "\r\n"u8))
        {
            line = Encoding.UTF8.GetString(bytes);
            buffer = buffer.Slice(reader.Position);
            return true;
        }

        line = string.Empty;
        return false;
    }
}
