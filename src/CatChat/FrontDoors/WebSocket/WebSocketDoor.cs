using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// WebSockets on the HTTP side as chat connections, whatever protocol they carry: the handshake, refused (403) to
/// pages of other origins, then the socket adapted (<see cref="WebSocketConnection"/>) and handed to a front door's
/// Factory as one more chat connection. The web chat's JSON (<c>/ws</c>) and IRC (<c>/irc</c>) both come in here.
/// </summary>
internal static class WebSocketDoor
{
    // Set on a handshake that a trusted reverse proxy passed on, before the forwarded headers replace its address.
    private const string ThroughTrustedProxy = "catchat.web-socket.through-trusted-proxy";

    /// <summary>
    /// ASP.NET Core's WebSocket middleware, with every socket of <paramref name="isSocketPath"/>'s paths made to share
    /// its connection's output with the chat's frames (<see cref="SerialWriteUpgrade"/>).
    /// </summary>
    /// <param name="trustedProxies">The reverse proxies whose requests' Host may be believed (<c>--trusted-proxies</c>).</param>
    public static IApplicationBuilder UseWebSocketDoors(this IApplicationBuilder app, IReadOnlyList<IPNetwork> trustedProxies, Func<PathString, bool> isSocketPath)
    {
        // Before the WebSocket middleware, which takes the upgrade feature it finds for the socket it makes.
        app.Use((context, next) =>
        {
            if (isSocketPath(context.Request.Path) && context.Features.Get<IHttpUpgradeFeature>() is { } upgrade)
            {
                // The connection's own output (as the listener's connection middleware left it) takes the frames once
                // the 101 response is in it: nothing of Kestrel's HTTP layer writes to it after an upgrade.
                var connection = context.Features.Get<IConnectionTransportFeature>()?.Transport.Output;
                context.Features.Set<IHttpUpgradeFeature>(new SerialWriteUpgrade(upgrade, connection));
                if (context.Connection.RemoteIpAddress is { } peer
                    && trustedProxies.Any(network => network.Contains(peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer)))
                {
                    context.Items[ThroughTrustedProxy] = true;
                }
            }

            return next(context);
        });
        return app.UseWebSockets();
    }

    /// <summary>
    /// Completes the handshake of a WebSocket request (one <see cref="UseWebSocketDoors"/> prepared) and serves the
    /// socket with <paramref name="factory"/>'s sessions until it closes.
    /// </summary>
    /// <param name="subProtocol">The subprotocol to answer with, one the client offered; null for none.</param>
    public static async Task AcceptAsync(HttpContext context, WebChatOptions options, ConnectionHandler factory, MessageFraming framing, string? subProtocol = null)
    {
        if (!OriginPolicy.Allows(context.Request.Headers.Origin, context.Request.Host.Value ?? string.Empty, options.AllowedOrigins, context.Items.ContainsKey(ThroughTrustedProxy)))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = subProtocol,
            KeepAliveInterval = options.KeepAlive,
            KeepAliveTimeout = options.KeepAlive,
        }).ConfigureAwait(false);
        // The HTTP side speaks HTTP/1.1 only, so every socket came through the upgrade feature set above.
        var stream = (context.Features.Get<IHttpUpgradeFeature>() as SerialWriteUpgrade)?.Stream
            ?? throw new InvalidOperationException("the WebSocket was not upgraded through SerialWriteUpgrade");
        var connection = new WebSocketConnection(socket, stream, context.Connection.Id, context.Connection.RemoteIpAddress, context.Connection.RemotePort, framing);
        var lifetime = context.RequestServices.GetRequiredService<IHostApplicationLifetime>();
        using var stopping = lifetime.ApplicationStopping.Register(static state => ((WebSocketConnection)state!).AbortIfNotInChat(), connection);
        await connection.RunAsync(factory.OnConnectedAsync).ConfigureAwait(false);
    }
}
