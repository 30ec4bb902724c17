using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace CatChat.Testing;

/// <summary>
/// A browser's side of the web chat, without a browser: a <see cref="ClientWebSocket"/> to <c>/ws</c> that sends JSON
/// messages and lets a test wait for the message it expects, failing with everything seen so far when it does not come.
/// </summary>
public sealed class WebChatClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _messages = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _seen = [];

    private WebChatClient(ClientWebSocket socket, bool reads)
    {
        _socket = socket;
        Completion = reads ? Task.Run(ReadAsync) : Task.CompletedTask;
    }

    public string Nick { get; private set; } = string.Empty;

    /// <summary>Ends when the server closes the socket (or it fails).</summary>
    public Task Completion { get; }

    /// <summary>How the server closed the socket, once it has.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public IReadOnlyList<JsonElement> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

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
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(LineCollector.Patience);
        try
        {
            while (await _messages.Reader.WaitToReadAsync(timeout.Token))
            {
                while (_messages.Reader.TryRead(out var message))
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

        throw new Xunit.Sdk.XunitException($"Expected {what}; saw:\n" + string.Join("\n", Seen.Select(m => m.GetRawText())));
    }

    /// <summary>Waits for the next message of <paramref name="type"/> whose text is <paramref name="text"/>.</summary>
    public Task<JsonElement> WaitForAsync(string type, string text) =>
        WaitForAsync(m => m.Type() == type && m.Text() == text, $"a {type} message \"{text}\"");

    /// <summary>Waits until the server has closed the socket.</summary>
    public async Task WaitUntilClosedAsync()
    {
        if (await Task.WhenAny(Completion, Task.Delay(LineCollector.Patience)) != Completion)
        {
            throw new Xunit.Sdk.XunitException("The server did not close the socket; saw:\n" + string.Join("\n", Seen.Select(m => m.GetRawText())));
        }
    }

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
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var parsed = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                lock (_seen)
                {
                    _seen.Add(parsed);
                }

                _messages.Writer.TryWrite(parsed);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Aborted or reset: the same as the end here.
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
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
