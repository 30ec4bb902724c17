using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CatChat.Testing;

/// <summary>
/// A browser's side of the web chat, without a browser: a <see cref="ClientWebSocket"/> to <c>/ws</c> that sends JSON
/// messages and lets a test wait for the message it expects, failing with everything seen so far when it does not come.
/// </summary>
public sealed class WebChatClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly SocketMessages<JsonElement>? _messages;

    private WebChatClient(ClientWebSocket socket, bool reads)
    {
        _socket = socket;
        _messages = reads ? new SocketMessages<JsonElement>(socket, static (bytes, _) => JsonDocument.Parse(bytes).RootElement.Clone(), static m => m.GetRawText()) : null;
        Completion = _messages?.Completion ?? Task.CompletedTask;
    }

    public string Nick { get; private set; } = string.Empty;

    /// <summary>Ends when the server closes the socket (or it fails).</summary>
    public Task Completion { get; }

    /// <summary>How the server closed the socket, once it has.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public IReadOnlyList<JsonElement> Seen => _messages?.Seen ?? [];

    /// <summary>Opens a socket to <paramref name="server"/>'s web chat, and with a nickname joins under it.</summary>
    public static async Task<WebChatClient> ConnectAsync(ChatServer server, string? nick = null, string? origin = null, bool reads = true)
    {
        var socket = new ClientWebSocket();
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{server.HttpPort}/ws"), CancellationToken.None);
        var client = new WebChatClient(socket, reads);
        if (nick is not null)
        {
            await client.SendAsync(new { type = "hello", nick });
            var welcome = await client.WaitForAsync(m => m.Type() == "welcome", "the welcome");
            client.Nick = welcome.GetProperty("nick").GetString()!;

            // The room's state follows the welcome: once it is here, the others are being told of the newcomer.
            await client.WaitForAsync(m => m.Type() == "room", "the room's state");
        }

        return client;
    }

    /// <summary>Sends <paramref name="message"/> serialised as JSON, in one text message.</summary>
    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public async Task SendTextAsync(string text) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type) =>
        await _socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);

    /// <summary>Waits for the next message <paramref name="match"/> accepts, passing over others.</summary>
    public Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what) =>
        (_messages ?? throw new InvalidOperationException("This client does not read.")).WaitForAsync(match, what);

    /// <summary>Waits for the next message of <paramref name="type"/> whose text is <paramref name="text"/>.</summary>
    public Task<JsonElement> WaitForAsync(string type, string text) =>
        WaitForAsync(m => m.Type() == type && m.Text() == text, $"a {type} message \"{text}\"");

    /// <summary>Waits until the server has closed the socket.</summary>
    public Task WaitUntilClosedAsync() => _messages?.WaitUntilClosedAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await Completion;
        _socket.Dispose();
    }
}

/// <summary>Reading the web chat's JSON messages in tests.</summary>
public static class WebMessage
{
    public static string? Type(this JsonElement message) => message.String("type");

    public static string? Text(this JsonElement message) => message.String("text");

    public static string? String(this JsonElement message, string name) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
