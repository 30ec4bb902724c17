using System.Net;
using CatChat.Api;
using CatChat.Backplane;
using CatChat.Chat;
using CatChat.FrontDoors.Irc;
using CatChat.FrontDoors.Netcat;
using CatChat.FrontDoors.WebSocket;
using CatChat.Persistence;
using CatChat.Protocol;
using CatChat.Sessions;
using CatChat.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace CatChat.Hosting;

/// <summary>AddCatChat() and MapCatChat(): everything Program.cs wires together.</summary>
public static class CatChatHosting
{
    /// <summary>Reads the settings, registers the chat, and sets up Kestrel's chat, TLS and HTTP listeners.</summary>
    public static WebApplicationBuilder AddCatChat(this WebApplicationBuilder builder)
    {
        var settings = SettingsCatalog.Bind(builder.Configuration);
        var listener = settings.Listener;
        var tlsCertificate = listener.TlsEnabled ? TlsCertificateLoader.Load(listener) : null;
        var endpoints = new ChatEndpoints();

        // Each area gets its own options type. The chat's and the sessions' follow the configuration file while
        // running (LiveSettings says so, once); the others keep their start-up values.
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(listener);
        builder.Services.AddSingleton(settings.Api);
        builder.Services.AddSingleton(settings.Persistence);
        builder.Services.AddSingleton(settings.Backplane);
        builder.Services.AddSingleton(Options.Create(settings.Chat)); // The start-up values, for what is built once.
        builder.Services.AddSingleton<LiveSettings>();
        builder.Services.AddSingleton<IOptionsMonitor<ChatOptions>>(services => services.GetRequiredService<LiveSettings>());
        builder.Services.AddSingleton<IOptionsMonitor<SessionLimits>>(services => services.GetRequiredService<LiveSettings>());
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ChatEventHub>();
        builder.Services.AddSingleton<ChatMetrics>();
        builder.Services.AddSingleton(services => new ChatRoom(
            new NicknamePolicy(settings.Chat.NickMaxLength, settings.Chat.ReservedNicks),
            BannerText.Parse(settings.Chat.Banner),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ChatEventHub>(),
            services.GetRequiredService<ChatMetrics>(),
            services.GetRequiredService<RecentHistory>(),
            services.GetRequiredService<IHistorySink>(),
            services.GetRequiredService<IBackplane>())
        {
            RoomLimits = settings.Chat.ToRoomLimits(),
        });
        builder.Services.AddSingleton<ConnectionAdmission>();

        // Every flush lane's sends to the plain chat port leave in one io_uring call where the kernel allows it.
        builder.Services.AddSingleton(services => SendCoalescer.Create(listener.SendBatching, services.GetRequiredService<ILogger<SendCoalescer>>()));
        builder.Services.AddSingleton<IWriteCoalescer, TransportWriteCoalescer>();
        builder.Services.AddSingleton(services => new FlushLanes(services.GetRequiredService<IWriteCoalescer>(), TimeSpan.FromMilliseconds(listener.SendHoldMs)));
        builder.Services.AddSingleton<FrontDoorServices>();
        builder.Services.AddSingleton<NetcatConnectionHandler>();
        builder.Services.AddSingleton(settings.Irc);
        builder.Services.AddSingleton<IrcConnectionHandler>();
        builder.Services.AddSingleton(settings.WebChat);
        builder.Services.AddSingleton<WebSocketConnectionHandler>();

        // The plain chat port has its own lean socket transport; Kestrel serves HTTP and the TLS chat.
        builder.Services.AddHostedService<ChatPortListener>();
        builder.Services.AddHostedService<IrcPortListener>();
        builder.Services.AddHostedService<IdleHeapTrimmer>();
        builder.AddCatChatApi(settings.Api);
        builder.AddCatChatPersistence(settings.Persistence, settings.Chat.HistoryReplay, listener.ShutdownTimeout);
        builder.AddCatChatBackplane(settings.Backplane);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = listener.ShutdownTimeout + TimeSpan.FromSeconds(5));

        // Read no further ahead of the TLS chat than a couple of lines: this caps what a flooding client costs.
        builder.WebHost.UseSockets(sockets => sockets.MaxReadBufferSize = Math.Max(64 * 1024, 2L * settings.Chat.MaxLineBytes));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = ApiHosting.MaxRequestBodyBytes;
            if (tlsCertificate is not null)
            {
                Listen(kestrel, listener.Bind, listener.TlsPort, listen =>
                {
                    endpoints.Tls = listen;
                    listen.UseHttps(tlsCertificate);
                    listen.Use(next => TlsKeepAlive.Enable(next, kestrel.ApplicationServices.GetRequiredService<IOptionsMonitor<SessionLimits>>()));
                    listen.UseConnectionHandler<NetcatConnectionHandler>();
                });

                if (settings.Irc.TlsPort > 0)
                {
                    Listen(kestrel, listener.Bind, settings.Irc.TlsPort, listen =>
                    {
                        endpoints.IrcTls = listen;
                        listen.UseHttps(tlsCertificate);
                        listen.Use(next => TlsKeepAlive.Enable(next, kestrel.ApplicationServices.GetRequiredService<IOptionsMonitor<SessionLimits>>()));
                        listen.UseConnectionHandler<IrcConnectionHandler>();
                    });
                }
            }

            Listen(kestrel, settings.Api.HttpBind, settings.Api.HttpPort, listen =>
            {
                endpoints.Http = listen;
                listen.Protocols = HttpProtocols.Http1;

                // A WebSocket's every flush goes to the kernel from the chat's own flushing thread (docs/performance.md).
                listen.UseDirectSend();
            });
        });

        return builder;
    }

    /// <summary>Maps the HTTP side and ties the chat's shutdown notice to the host's.</summary>
    public static WebApplication MapCatChat(this WebApplication app)
    {
        var room = app.Services.GetRequiredService<ChatRoom>();
        var listener = app.Services.GetRequiredService<ListenerOptions>();
        app.Services.GetRequiredService<LiveSettings>(); // Starts watching the configuration.

        // ApplicationStopping runs before Kestrel stops: every client hears the notice while its connection is open.
        app.Lifetime.ApplicationStopping.Register(() => room.ShutdownAsync(listener.ShutdownTimeout).GetAwaiter().GetResult());

        // Before the static files: with the web chat off, its page answers 404 like its socket.
        var webChat = app.Services.GetRequiredService<WebChatOptions>();
        var ircOverWebSocket = app.Services.GetRequiredService<IrcOptions>().WebSocket;
        app.UseWebSocketDoors(
            app.Services.GetRequiredService<ApiOptions>().TrustedProxyNetworks,
            path => (webChat.Enabled && WebChatEndpoint.IsSocketPath(path)) || (ircOverWebSocket && IrcWebSocketEndpoint.IsSocketPath(path)));
        app.UseWebChatSwitch(webChat);
        if (ircOverWebSocket)
        {
            app.UseIrcOverWebSocket(webChat);
        }

        app.MapCatChatApi();
        app.MapWebChat(webChat);
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
