using CatChat.Chat;
using CatChat.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CatChat.Connections;

/// <summary>
/// The talk's Factory: Kestrel creates it once per endpoint and calls it for every connection;
/// it builds that connection's <see cref="ChatSession"/> and holds no per-connection state itself.
/// </summary>
internal sealed class ChatConnectionHandler(
    ChatRoom room, CatChatOptions options, TimeProvider time, ILogger<ChatSession> logger, IChatStore? store = null, LiveOptions? live = null)
    : ConnectionHandler
{
    // Each connection takes the settings as they are when it arrives.
    public override Task OnConnectedAsync(ConnectionContext connection) =>
        new ChatSession(connection, room, live?.Current ?? options, time, logger, store).RunAsync();
}
