using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.FileProviders;

namespace CatChat.Api;

/// <summary>AddCatChatApi() and MapCatChatApi(): the REST API, the SSE feed, /metrics, OpenAPI and the dashboard.</summary>
internal static class ApiHosting
{
    public const int MaxRequestBodyBytes = 64 * 1024;

    public static WebApplicationBuilder AddCatChatApi(this WebApplicationBuilder builder, ApiOptions options)
    {
        var services = builder.Services;
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= ProblemDetail.For(context.ProblemDetails.Status));
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        services.AddOpenApi(OpenApiSecurity.Describe);
        services.AddHealthChecks();

        services.AddSingleton(provider =>
        {
            var token = AdminTokenLoader.Load(options.DataDir, Environment.GetEnvironmentVariable);
            ApiLog.AdminTokenSource(provider.GetRequiredService<ILogger<AdminToken>>(), token.Source);
            return token;
        });
        services.AddAdminAuthentication(options.DataDir);
        services.Configure<ForwardedHeadersOptions>(forwarded => TrustProxies(forwarded, options.TrustedProxyNetworks));
        services.AddScoped<CookieAntiforgeryFilter>();
        return builder;
    }

    private static void TrustProxies(ForwardedHeadersOptions forwarded, IReadOnlyList<System.Net.IPNetwork> trusted)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

        // ASP.NET trusts loopback by default; here only what the operator named is trusted.
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var network in trusted)
        {
            forwarded.KnownIPNetworks.Add(network);
        }

        // Walk X-Forwarded-For from the right through trusted proxies only: the first address that is not one
        // is the client. Entries further left were written by the client and are never believed.
        forwarded.ForwardLimit = null;
    }

    public static WebApplication MapCatChatApi(this WebApplication app)
    {
        // Load the token at start, so its location is logged and a bad data directory fails early.
        app.Services.GetRequiredService<AdminToken>();

        // First, so that everything after it (the sign-in throttle, the audit trail, secure cookies) sees the client
        // behind a trusted proxy. Without trusted proxies the forwarded headers are not read at all.
        if (app.Services.GetRequiredService<ApiOptions>().TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseSignInThrottle();
        app.UseAuthentication();
        app.UseAuthorization();
        var dashboard = new ManifestEmbeddedFileProvider(typeof(ApiHosting).Assembly, "wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = dashboard });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = dashboard,

            // Browsers check for a new dashboard after an upgrade instead of running cached script.
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
        });

        var api = app.MapGroup("/api").WithTags("CatChat");
        var admin = api.MapGroup(string.Empty)
            .RequireAuthorization(AdminAuthentication.Policy)
            .AddEndpointFilter<CookieAntiforgeryFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapUsersApi();
        api.MapRoomsApi(admin);
        admin.MapClusterApi();
        api.MapBannerApi(admin);
        admin.MapModerationApi();
        admin.MapEventsApi();
        admin.MapHistoryApi();
        admin.MapRedactionApi();
        api.MapSessionApi(admin);
        app.MapMetrics();
        app.MapHealthApi();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "docs";
            ui.SwaggerEndpoint("/openapi/v1.json", "CatChat API v1");
            ui.DocumentTitle = "CatChat API";
        });
        return app;
    }
}
