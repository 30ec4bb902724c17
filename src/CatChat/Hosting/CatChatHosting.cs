using System.Net;
using CatChat.Api;
using CatChat.Backplane;
using CatChat.Chat;
using CatChat.Connections;
using CatChat.Persistence;
using CatChat.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace CatChat.Hosting;

/// <summary>AddCatChat() and MapCatChat(): everything Program.cs wires together.</summary>
public static class CatChatHosting
{
    /// <summary>Reads the settings, registers the chat, and sets up Kestrel's chat, TLS and HTTP listeners.</summary>
    public static WebApplicationBuilder AddCatChat(this WebApplicationBuilder builder)
    {
        var options = SettingsCatalog.Bind(builder.Configuration);
        var tlsCertificate = options.TlsEnabled ? TlsCertificateLoader.Load(options) : null;
        var endpoints = new ChatEndpoints();

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<LiveOptions>();
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ChatEventHub>();
        builder.Services.AddSingleton<ChatMetrics>();
        builder.Services.AddSingleton(services => new ChatRoom(
            new NicknamePolicy(options.NickMaxLength, options.ReservedNicks),
            options.BannerLines,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ChatEventHub>(),
            services.GetRequiredService<ChatMetrics>(),
            services.GetRequiredService<RecentHistory>(),
            services.GetRequiredService<IHistorySink>(),
            services.GetRequiredService<IBackplane>()));
        builder.Services.AddSingleton<ConnectionAdmission>();
        builder.AddCatChatApi(options);
        builder.AddCatChatPersistence(options);
        builder.AddCatChatBackplane(options);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(5));

        // Read no further ahead of the chat than a couple of lines: this caps what a flooding client costs.
        builder.WebHost.UseSockets(sockets => sockets.MaxReadBufferSize = Math.Max(64 * 1024, 2L * options.MaxLineBytes));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = ApiHosting.MaxRequestBodyBytes;
            var admission = kestrel.ApplicationServices.GetRequiredService<ConnectionAdmission>();
            Listen(kestrel, options.Bind, options.ChatPort, listen =>
            {
                endpoints.Chat = listen;
                listen.Use(next => connection => admission.OnConnectionAsync(connection, next));
                listen.UseConnectionHandler<ChatConnectionHandler>();
            });

            if (tlsCertificate is not null)
            {
                Listen(kestrel, options.Bind, options.TlsPort, listen =>
                {
                    endpoints.Tls = listen;
                    listen.UseHttps(tlsCertificate);
                    listen.Use(next => connection => admission.OnConnectionAsync(connection, next));
                    listen.UseConnectionHandler<ChatConnectionHandler>();
                });
            }

            Listen(kestrel, options.HttpBind, options.HttpPort, listen =>
            {
                endpoints.Http = listen;
                listen.Protocols = HttpProtocols.Http1;
            });
        });

        return builder;
    }

    /// <summary>Maps the HTTP side and ties the chat's shutdown notice to the host's.</summary>
    public static WebApplication MapCatChat(this WebApplication app)
    {
        var room = app.Services.GetRequiredService<ChatRoom>();
        var options = app.Services.GetRequiredService<CatChatOptions>();
        app.Services.GetRequiredService<LiveOptions>(); // Starts watching the configuration.

        // ApplicationStopping runs before Kestrel stops: every client hears the notice while its connection is open.
        app.Lifetime.ApplicationStopping.Register(() => room.ShutdownAsync(options.ShutdownTimeout).GetAwaiter().GetResult());

        // Split is not unhealthy: the node still serves its own users. The state is there for monitoring.
        app.MapGet("/healthz", () => room.Backplane.IsClustered
                ? Results.Ok(new { status = "ok", users = room.Count, backplane = ClusterApi.StateName(room.Backplane.State), node = room.Backplane.NodeName, clusterUsers = room.ClusterCount })
                : Results.Ok(new { status = "ok", users = room.Count }))
            .WithName("GetHealth")
            .WithSummary("Liveness: answers while the server runs; in a cluster also whether the backplane is whole or split.");
        app.MapCatChatApi();
        return app;
    }

    // "*" is every interface, IPv6 and IPv4 where the machine has both.
    private static void Listen(KestrelServerOptions kestrel, string bind, int port, Action<ListenOptions> configure)
    {
        if (bind == "*")
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(bind), port, configure);
        }
    }
}
