using CatChat.Sessions;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace CatChat.Api;

/// <summary>
/// Who may do admin things: a request with the admin token as a bearer token (scripts), or a dashboard
/// session cookie obtained by signing in with that token. Unsafe requests on a cookie also need the
/// anti-forgery token (see <see cref="CookieAntiforgeryFilter"/>).
/// </summary>
internal static class AdminAuthentication
{
    public const string Policy = "Admin";
    public const string BearerScheme = "Bearer";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string AdminName = "admin";
    private const string EitherScheme = "BearerOrCookie";

    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services, string dataDirectory)
    {
        // Keys in the data directory: dashboard sessions survive a restart and need no home directory.
        services.AddDataProtection()
            .SetApplicationName("CatChat")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));

        services.AddAuthentication(EitherScheme)
            .AddPolicyScheme(EitherScheme, "Bearer token or dashboard cookie", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.Count > 0 ? BearerScheme : CookieScheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(BearerScheme, null)
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = "catchat_session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.SlidingExpiration = true;

                // An API answers 401/403; it does not redirect to a login page.
                options.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
                options.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.RequireAuthenticatedUser());

        services.AddAntiforgery(options =>
        {
            options.HeaderName = "X-CSRF-TOKEN";
            options.Cookie.Name = "catchat_csrf";
            options.Cookie.SameSite = SameSiteMode.Strict;
        });

        services.AddSingleton<SignInThrottle>();
        return services;
    }

    /// <summary>Refuses guesses from an address that failed too often, before any token is looked at.</summary>
    public static IApplicationBuilder UseSignInThrottle(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var guessing = context.Request.Headers.Authorization.Count > 0
            || (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/api/session", StringComparison.OrdinalIgnoreCase));
        if (guessing)
        {
            var throttle = context.RequestServices.GetRequiredService<SignInThrottle>();
            var wait = throttle.RetryAfter(ClientAddress(context));
            if (wait > TimeSpan.Zero)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many failed sign-in attempts",
                    detail: "Wait before trying again.").ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    });

    public static System.Net.IPAddress? ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip ? PeerAddress.Plain(ip) : null;

    /// <summary>How the audit trail and events name who did something.</summary>
    public static string Actor(HttpContext context) => $"{AdminName}@{ClientAddress(context)?.ToString() ?? "unknown"}";
}
