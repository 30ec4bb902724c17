using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace CatChat.Testing;

/// <summary>
/// An IRC client in a web page, without the page: a <see cref="ClientWebSocket"/> to the HTTP side's IRC endpoint that
/// sends one IRC line per message and keeps every message it receives with its type, so a test can check the framing
/// (one line per message, no CR LF) as well as what was said.
/// </summary>
public sealed class IrcWebSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<Received> _messages = Channel.CreateUnbounded<Received>();
    private readonly List<Received> _seen = [];

    private IrcWebSocketClient(ClientWebSocket socket)
    {
        _socket = socket;
        Completion = Task.Run(ReadAsync);
    }

    /// <summary>One message from the server: its text (decoded as UTF-8 when binary) and whether it came as binary.</summary>
    public readonly record struct Received(string Line, bool Binary);

    public string Nick { get; private set; } = string.Empty;

    /// <summary>The subprotocol the server chose, or null for none.</summary>
    public string? SubProtocol => _socket.SubProtocol;

    /// <summary>Ends when the server closes the socket (or it fails).</summary>
    public Task Completion { get; }

    public IReadOnlyList<Received> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Opens a socket to <paramref name="server"/>'s IRC endpoint (<paramref name="path"/>), offering <paramref name="subProtocols"/>.</summary>
    public static async Task<IrcWebSocketClient> OpenAsync(ChatServer server, string[] subProtocols, string path = "/irc", string? origin = null)
    {
        var socket = new ClientWebSocket();
        foreach (var subProtocol in subProtocols)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{server.HttpPort}{path}"), CancellationToken.None);
        return new IrcWebSocketClient(socket);
    }

    /// <summary>Opens a socket and registers as <paramref name="nick"/>, waiting for the end of the MOTD.</summary>
    public static async Task<IrcWebSocketClient> ConnectAsync(ChatServer server, string nick, params string[] subProtocols)
    {
        var client = await OpenAsync(server, subProtocols);
        await client.SendAsync("NICK " + nick);
        await client.SendAsync($"USER {nick} 0 * :{nick} in a browser");
        await client.WaitForLineAsync(line => IrcTestClient.Numeric(line) is "376" or "422", "the end of the MOTD");
        client.Nick = nick;
        return client;
    }

    /// <summary>Sends <paramref name="line"/> as one message, text unless <paramref name="binary"/>.</summary>
    public Task SendAsync(string line, bool binary = false) => SendRawAsync(Encoding.UTF8.GetBytes(line), binary);

    public async Task SendRawAsync(byte[] bytes, bool binary = false) =>
        await _socket.SendAsync(bytes, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>Waits for the next line <paramref name="match"/> accepts, passing over others.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(LineCollector.Patience);
        try
        {
            while (true)
            {
                var message = await _messages.Reader.ReadAsync(timeout.Token);
                if (match(message.Line))
                {
                    return message.Line;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"No {what} over IRC's WebSocket. Seen:\n" + string.Join('\n', Seen.Select(m => m.Line)));
        }
    }

    /// <summary>Waits until the server closes the socket.</summary>
    public async Task WaitUntilClosedAsync() => await Completion.WaitAsync(LineCollector.Patience);

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await Completion;
        _socket.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var message = new Received(Encoding.UTF8.GetString(buffer, 0, length), result.MessageType == WebSocketMessageType.Binary);
                lock (_seen)
                {
                    _seen.Add(message);
                }

                _messages.Writer.TryWrite(message);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket went away: the waits see the channel end.
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }
}
