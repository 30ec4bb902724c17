using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// <c>/ws</c>: the WebSocket handshake, refused (403) to pages of other origins, then the socket handed to the web
/// chat's Factory as one more chat connection. <c>/chat</c>, the page, is a static file beside the dashboard.
/// </summary>
internal static class WebChatEndpoint
{
    public const string SocketPath = "/ws";
    public const string PagePath = "/chat";

    // Set on a handshake that a trusted reverse proxy passed on, before the forwarded headers replace its address.
    private const string ThroughTrustedProxy = "catchat.web-chat.through-trusted-proxy";

    /// <summary>Maps <c>/ws</c>; with the web chat off, <c>/ws</c> and <c>/chat</c> answer 404 instead.</summary>
    /// <param name="trustedProxies">The reverse proxies whose requests' Host may be believed (<c>--trusted-proxies</c>).</param>
    public static IApplicationBuilder UseWebChat(this IApplicationBuilder app, WebChatOptions options, IReadOnlyList<IPNetwork> trustedProxies)
    {
        if (!options.Enabled)
        {
            return app.Use((context, next) =>
            {
                if (context.Request.Path.StartsWithSegments(SocketPath) || context.Request.Path.StartsWithSegments(PagePath))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
        }

        // Before the WebSocket middleware, which takes the upgrade feature it finds for the socket it makes.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(SocketPath) && context.Features.Get<IHttpUpgradeFeature>() is { } upgrade)
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
        app.UseWebSockets();
        return app;
    }

    public static IEndpointRouteBuilder MapWebChat(this IEndpointRouteBuilder endpoints, WebChatOptions options)
    {
        if (options.Enabled)
        {
            endpoints.Map(SocketPath, context => AcceptAsync(context, options));
        }

        return endpoints;
    }

    private static async Task AcceptAsync(HttpContext context, WebChatOptions options)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This is the web chat's WebSocket: open /chat in a browser.\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (!OriginPolicy.Allows(context.Request.Headers.Origin, context.Request.Host.Value ?? string.Empty, options.AllowedOrigins, context.Items.ContainsKey(ThroughTrustedProxy)))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var handler = context.RequestServices.GetRequiredService<WebSocketConnectionHandler>();
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = options.KeepAlive,
            KeepAliveTimeout = options.KeepAlive,
        }).ConfigureAwait(false);
        // The HTTP side speaks HTTP/1.1 only, so every socket came through the upgrade feature set above.
        var stream = (context.Features.Get<IHttpUpgradeFeature>() as SerialWriteUpgrade)?.Stream
            ?? throw new InvalidOperationException("the WebSocket was not upgraded through SerialWriteUpgrade");
        var connection = new WebSocketConnection(socket, stream, context.Connection.Id, context.Connection.RemoteIpAddress, context.Connection.RemotePort);
        var lifetime = context.RequestServices.GetRequiredService<IHostApplicationLifetime>();
        using var stopping = lifetime.ApplicationStopping.Register(static state => ((WebSocketConnection)state!).AbortIfNotInChat(), connection);
        await connection.RunAsync(handler.OnConnectedAsync).ConfigureAwait(false);
    }
}
