using CatChat.FrontDoors.Irc;
using CatChat.FrontDoors.WebSocket;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.Hosting;

/// <summary>
/// IRC over WebSocket (IRCv3's WebSocket transport): the IRC front door's own Factory serves sockets of the HTTP side,
/// one IRC line per message, as it serves the IRC ports' connections; the WebSocket is only the way in, as TLS is for
/// the IRC TLS port. At <c>/irc</c>, and to a handshake at <c>/</c>, where web IRC clients given only a host look.
/// </summary>
internal static class IrcWebSocketEndpoint
{
    public const string SocketPath = "/irc";

    /// <summary>True for the paths whose WebSocket handshakes are IRC's.</summary>
    public static bool IsSocketPath(PathString path) => path == "/" || path.StartsWithSegments(SocketPath);

    /// <summary>Takes IRC's WebSocket handshakes before routing, so that <c>/</c> still serves the dashboard to a plain request.</summary>
    public static IApplicationBuilder UseIrcOverWebSocket(this IApplicationBuilder app, WebChatOptions sockets) =>
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            if (!IsSocketPath(path))
            {
                return next(context);
            }

            if (context.WebSockets.IsWebSocketRequest)
            {
                return AcceptAsync(context, sockets);
            }

            return path == "/" ? next(context) : RefuseAsync(context);
        });

    private static Task AcceptAsync(HttpContext context, WebChatOptions sockets)
    {
        var subprotocol = IrcWebSocketSubprotocols.Choose(context.WebSockets.WebSocketRequestedProtocols);
        var framing = subprotocol == IrcWebSocketSubprotocols.Binary ? MessageFraming.BinaryLines : MessageFraming.TextLines;
        return WebSocketDoor.AcceptAsync(context, sockets, context.RequestServices.GetRequiredService<IrcConnectionHandler>(), framing, subprotocol);
    }

    private static Task RefuseAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return context.Response.WriteAsync("This is IRC over WebSocket: point a web IRC client at ws://this-host/irc (wss:// behind TLS).\n", context.RequestAborted);
    }
}
