using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// <c>/ws</c>: the web chat's WebSocket, handed to its Factory through <see cref="WebSocketDoor"/>. <c>/chat</c>, the
/// page, is a static file beside the dashboard.
/// </summary>
internal static class WebChatEndpoint
{
    public const string SocketPath = "/ws";
    public const string PagePath = "/chat";

    /// <summary>True for the web chat's socket path, which <see cref="WebSocketDoor.UseWebSocketDoors"/> must prepare.</summary>
    public static bool IsSocketPath(PathString path) => path.StartsWithSegments(SocketPath);

    /// <summary>With the web chat off, <c>/ws</c> and <c>/chat</c> answer 404 (before the static files serve the page).</summary>
    public static IApplicationBuilder UseWebChatSwitch(this IApplicationBuilder app, WebChatOptions options) =>
        options.Enabled
            ? app
            : app.Use((context, next) =>
            {
                if (context.Request.Path.StartsWithSegments(SocketPath) || context.Request.Path.StartsWithSegments(PagePath))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });

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

        await WebSocketDoor.AcceptAsync(context, options, context.RequestServices.GetRequiredService<WebSocketConnectionHandler>(), MessageFraming.SessionFrames).ConfigureAwait(false);
    }
}
