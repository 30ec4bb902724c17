using CatChat.Chat;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CatChat.Backplane;

/// <summary>AddCatChatBackplane(): the Redis backplane with <c>--redis</c>, the single-node default without.</summary>
internal static class BackplaneHosting
{
    public static WebApplicationBuilder AddCatChatBackplane(this WebApplicationBuilder builder, BackplaneOptions options)
    {
        if (options.Redis.Length == 0)
        {
            builder.Services.AddSingleton<IBackplane>(NoBackplane.Instance);
            return builder;
        }

        builder.Services.AddSingleton<RedisBackplane>();
        builder.Services.AddSingleton<IBackplane>(services => services.GetRequiredService<RedisBackplane>());
        builder.Services.AddHostedService<BackplaneService>();

        // "degraded", not "unhealthy": a split node still serves its own users (see /healthz).
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "backplane", services => new BackplaneHealthCheck(services.GetRequiredService<RedisBackplane>()), HealthStatus.Degraded, tags: null));
        return builder;
    }
}
