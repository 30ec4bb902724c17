using System.Net.WebSockets;
using System.Text;

namespace CatChat.Testing;

/// <summary>
/// An IRC client in a web page, without the page: a <see cref="ClientWebSocket"/> to the HTTP side's IRC endpoint that
/// sends one IRC line per message and keeps every message it receives with its type, so a test can check the framing
/// (one line per message, no CR LF) as well as what was said.
/// </summary>
public sealed class IrcWebSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly SocketMessages<Received> _messages;

    private IrcWebSocketClient(ClientWebSocket socket)
    {
        _socket = socket;
        _messages = new SocketMessages<Received>(socket, static (bytes, binary) => new Received(Encoding.UTF8.GetString(bytes), binary), static m => m.Line);
    }

    /// <summary>One message from the server: its text (decoded as UTF-8 when binary) and whether it came as binary.</summary>
    public readonly record struct Received(string Line, bool Binary);

    public string Nick { get; private set; } = string.Empty;

    /// <summary>The subprotocol the server chose, or null for none.</summary>
    public string? SubProtocol => _socket.SubProtocol;

    /// <summary>Ends when the server closes the socket (or it fails).</summary>
    public Task Completion => _messages.Completion;

    public IReadOnlyList<Received> Seen => _messages.Seen;

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
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what) =>
        (await _messages.WaitForAsync(message => match(message.Line), what + " over IRC's WebSocket")).Line;

    /// <summary>Waits until the server closes the socket.</summary>
    public Task WaitUntilClosedAsync() => _messages.WaitUntilClosedAsync();

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await Completion;
        _socket.Dispose();
    }
}
