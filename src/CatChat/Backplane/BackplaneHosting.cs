using CatChat.Chat;
using CatChat.Hosting;

namespace CatChat.Backplane;

/// <summary>AddCatChatBackplane(): the Redis backplane with <c>--redis</c>, the single-node default without.</summary>
internal static class BackplaneHosting
{
    public static WebApplicationBuilder AddCatChatBackplane(this WebApplicationBuilder builder, CatChatOptions options)
    {
        if (options.Redis.Length == 0)
        {
            builder.Services.AddSingleton<IBackplane>(NoBackplane.Instance);
            return builder;
        }

        builder.Services.AddSingleton<RedisBackplane>();
        builder.Services.AddSingleton<IBackplane>(services => services.GetRequiredService<RedisBackplane>());
        builder.Services.AddHostedService<BackplaneService>();
        return builder;
    }
}
