using System.Net.WebSockets;
using System.Threading.Channels;

namespace CatChat.Testing;

/// <summary>
/// What a test's WebSocket receives, message by message: read until the socket closes, each whole message turned
/// into <typeparamref name="T"/>, kept for the failure report and queued for the waits.
/// </summary>
internal sealed class SocketMessages<T>
{
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>();
    private readonly List<T> _seen = [];
    private readonly Func<T, string> _describe;

    /// <param name="parse">A whole message's bytes and whether it came as binary, as a <typeparamref name="T"/>.</param>
    /// <param name="describe">A message as the failure report shows it.</param>
    public SocketMessages(System.Net.WebSockets.WebSocket socket, Func<byte[], bool, T> parse, Func<T, string> describe)
    {
        _describe = describe;
        Completion = Task.Run(() => ReadAsync(socket, parse));
    }

    /// <summary>Ends when the server closes the socket (or it fails).</summary>
    public Task Completion { get; }

    public IReadOnlyList<T> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Waits for the next message <paramref name="match"/> accepts, passing over others.</summary>
    public async Task<T> WaitForAsync(Func<T, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(LineCollector.Patience);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(timeout.Token))
            {
                while (_queue.Reader.TryRead(out var message))
                {
                    if (match(message))
                    {
                        return message;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new Xunit.Sdk.XunitException($"Expected {what}; saw:\n" + string.Join("\n", Seen.Select(_describe)));
    }

    /// <summary>Waits until the server has closed the socket.</summary>
    public async Task WaitUntilClosedAsync()
    {
        if (await Task.WhenAny(Completion, Task.Delay(LineCollector.Patience)) != Completion)
        {
            throw new Xunit.Sdk.XunitException("The server did not close the socket; saw:\n" + string.Join("\n", Seen.Select(_describe)));
        }
    }

    private async Task ReadAsync(System.Net.WebSockets.WebSocket socket, Func<byte[], bool, T> parse)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var parsed = parse(message.ToArray(), result.MessageType == WebSocketMessageType.Binary);
                lock (_seen)
                {
                    _seen.Add(parsed);
                }

                _queue.Writer.TryWrite(parsed);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Aborted or reset: the same as the end here.
        }
        finally
        {
            _queue.Writer.TryComplete();
        }
    }
}
