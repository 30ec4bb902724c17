using Microsoft.AspNetCore.Antiforgery;

namespace CatChat.Api;

/// <summary>
/// A browser sends the session cookie with any request, even one a hostile page makes it send, so a
/// state-changing request that rides on the cookie must also carry the anti-forgery token in the
/// <c>X-CSRF-TOKEN</c> header. Bearer-token requests are not forgeable that way and pass.
/// </summary>
internal sealed class CookieAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var onCookie = http.User.Identity?.AuthenticationType == AdminAuthentication.CookieScheme;
        if (onCookie && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && !await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Missing or invalid anti-forgery token",
                detail: "Send the token from GET /api/session in the X-CSRF-TOKEN header.");
        }

        return await next(context);
    }
}
