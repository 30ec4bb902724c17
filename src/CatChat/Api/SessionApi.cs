using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace CatChat.Api;

/// <summary><c>/api/session</c>: the dashboard signs in with the admin token and gets a cookie session.</summary>
internal static class SessionApi
{
    public static void MapSessionApi(this RouteGroupBuilder api, RouteGroupBuilder admin)
    {
        api.MapGet("/session", (HttpContext http, IAntiforgery antiforgery) =>
        {
            var signedIn = http.User.Identity?.IsAuthenticated == true;
            var tokens = antiforgery.GetAndStoreTokens(http);
            return TypedResults.Ok(new SessionResponse(signedIn, tokens.RequestToken));
        })
        .WithName("GetSession")
        .WithSummary("Whether this browser is signed in, and the anti-forgery token for its state-changing requests.");

        api.MapPost("/session", SignInAsync)
            .WithName("SignIn")
            .WithSummary("Signs the dashboard in with the admin token; sets an HttpOnly, SameSite=Strict session cookie.");

        admin.MapDelete("/session", async (HttpContext http) =>
        {
            await http.SignOutAsync(AdminAuthentication.CookieScheme);
            return TypedResults.Ok(StatusResponse.Success());
        })
        .WithName("SignOut")
        .WithSummary("Ends the dashboard session.");
    }

    private static async Task<IResult> SignInAsync(SignInRequest request, HttpContext http, AdminToken adminToken, SignInThrottle throttle)
    {
        if (string.IsNullOrEmpty(request.Token))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing token", detail: "The field 'token' is required.");
        }

        if (!adminToken.Matches(request.Token))
        {
            throttle.RecordFailure(AdminAuthentication.ClientAddress(http));
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong token", detail: "The admin token is not valid.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, AdminAuthentication.AdminName)], AdminAuthentication.CookieScheme);
        await http.SignInAsync(AdminAuthentication.CookieScheme, new ClaimsPrincipal(identity));
        return TypedResults.Ok(StatusResponse.Success());
    }
}
