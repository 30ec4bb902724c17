using System.Globalization;
using System.Net;
using System.Text;
using CatChat.Api;
using CatChat.Backplane;
using CatChat.Chat;
using CatChat.FrontDoors.Irc;
using CatChat.FrontDoors.WebSocket;
using CatChat.Persistence;
using CatChat.Protocol;
using Microsoft.Extensions.Configuration;

namespace CatChat.Hosting;

/// <summary>The table of every setting: parses configuration into each area's options (<see cref="CatChatSettings"/>) and prints <c>--help</c>.</summary>
public static partial class SettingsCatalog
{
    public static IReadOnlyList<Setting> All { get; } =
    [
        Int("chat-port", "ChatPort", "TCP port of the chat (0 picks a free port)", 0, 65535, o => o.Listener.ChatPort, (o, v) => o.Listener.ChatPort = v),
        Address("bind", "Bind", "address the chat listens on; * means every interface", o => o.Listener.Bind, (o, v) => o.Listener.Bind = v),
        Int("http-port", "HttpPort", "TCP port of the HTTP side (/healthz)", 0, 65535, o => o.Api.HttpPort, (o, v) => o.Api.HttpPort = v),
        Address("http-bind", "HttpBind", "address the HTTP side listens on; loopback unless you mean to expose it", o => o.Api.HttpBind, (o, v) => o.Api.HttpBind = v),
        new("trusted-proxies", "TrustedProxies", "comma-separated reverse proxies (addresses or CIDR networks) whose X-Forwarded-For/-Proto are believed; none by default",
            o => string.Join(',', o.Api.TrustedProxies),
            (o, v) =>
            {
                var entries = v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (entries.Any(entry => !ApiOptions.TryParseNetwork(entry, out _)))
                {
                    throw new FormatException("is not a comma-separated list of IP addresses or CIDR networks");
                }

                o.Api.TrustedProxies = entries;
            }),
        Text("data-dir", "DataDir", "directory for CatChat's data", o => o.Persistence.DataDir, (o, v) => o.Persistence.DataDir = o.Api.DataDir = v),
        new("chat-password", "ChatPassword", "a password every way in asks for before a user enters the chat (netcat, IRC's PASS, the web chat); none by default (an open chat); never shown",
            _ => "",
            (o, v) =>
            {
                if (v.Length > 100 || v.Any(char.IsControl) || v.Trim().Length != v.Length)
                {
                    throw new FormatException("is not up to 100 characters without control characters or spaces at either end");
                }

                o.Chat.Password = v;
            },
            Secret: true),
        new("banner", "Banner", "greeting sent on login; \\n separates lines", o => o.Chat.Banner.Replace("\n", "\\n", StringComparison.Ordinal), (o, v) =>
        {
            // On a command line a newline is written \n; the banner itself is checked as every banner is.
            var text = v.Replace("\\n", "\n", StringComparison.Ordinal);
            if (BannerText.TryParse(text, out var error) is null)
            {
                throw new FormatException(error);
            }

            o.Chat.Banner = text;
        }),
        Int("max-line-bytes", "MaxLineBytes", "longest line accepted, in bytes", 16, 1024 * 1024, o => o.Chat.MaxLineBytes, (o, v) => o.Chat.MaxLineBytes = v),
        Int("nick-max-length", "NickMaxLength", "longest nickname, in characters", 1, 64, o => o.Chat.NickMaxLength, (o, v) => o.Chat.NickMaxLength = v),
        new("reserved-nicks", "ReservedNicks", "comma-separated nicknames nobody may take",
            o => string.Join(',', o.Chat.ReservedNicks),
            (o, v) => o.Chat.ReservedNicks = v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
        Int("flood-burst", "FloodBurst", "lines a client may send at once before it is slowed down; 0 turns flood control off", 0, 1_000_000, o => o.Sessions.FloodBurst, (o, v) => o.Sessions.FloodBurst = v),
        Number("flood-rate", "FloodLinesPerSecond", "lines per second a client may send after its burst", 0.01, 1_000_000, o => o.Sessions.FloodLinesPerSecond, (o, v) => o.Sessions.FloodLinesPerSecond = v),
        Seconds("flood-disconnect-after", "FloodDisconnectAfter", "seconds a client may stay throttled without a pause before it is disconnected", 1, o => o.Sessions.FloodDisconnectAfter, (o, v) => o.Sessions.FloodDisconnectAfter = v),
        Int("send-queue-bytes", "SendQueueBytes", "output a client may leave unread before it is disconnected as a slow consumer", 1024, int.MaxValue, o => o.Sessions.SendQueueBytes, (o, v) => o.Sessions.SendQueueBytes = v),
        Int("max-connections", "MaxConnections", "chat connections in total", 1, 10_000_000, o => o.Sessions.MaxConnections, (o, v) => o.Sessions.MaxConnections = v),
        Int("max-connections-per-ip", "MaxConnectionsPerIp", "chat connections from one IP address", 1, 10_000_000, o => o.Sessions.MaxConnectionsPerIp, (o, v) => o.Sessions.MaxConnectionsPerIp = v),
        Bool("loopback-exempt", "LoopbackExempt", "true: connections from loopback ignore the per-IP limit", o => o.Sessions.LoopbackExempt, (o, v) => o.Sessions.LoopbackExempt = v),
        Seconds("idle-timeout", "IdleTimeout", "seconds without a line before a client is disconnected; 0 never", 0, o => o.Sessions.IdleTimeout, (o, v) => o.Sessions.IdleTimeout = v),
        Bool("presence-notices", "PresenceNotices", "true: tell the room when someone joins or leaves (a very large room may prefer false)", o => o.Chat.PresenceNotices, (o, v) => o.Chat.PresenceNotices = v),
        Seconds("join-announce-delay", "JoinAnnounceDelay", "seconds the join notice waits for a first line (so HTTP requests are refused unannounced)", 0, o => o.Sessions.JoinAnnounceDelay, (o, v) => o.Sessions.JoinAnnounceDelay = v),
        Seconds("keepalive-time", "KeepAliveTime", "seconds of silence before TCP keepalive probes a chat connection", 1, o => o.Sessions.KeepAliveTime, (o, v) => o.Sessions.KeepAliveTime = v),
        Seconds("keepalive-interval", "KeepAliveInterval", "seconds between TCP keepalive probes", 1, o => o.Sessions.KeepAliveInterval, (o, v) => o.Sessions.KeepAliveInterval = v),
        Int("keepalive-probes", "KeepAliveProbes", "unanswered keepalive probes before a connection is dropped", 1, 100, o => o.Sessions.KeepAliveProbes, (o, v) => o.Sessions.KeepAliveProbes = v),
        Int("tls-port", "TlsPort", "TCP port of the TLS chat, served when --tls-cert is given (0 picks a free port)", 0, 65535, o => o.Listener.TlsPort, (o, v) => o.Listener.TlsPort = v),
        Int("irc-port", "IrcPort", "TCP port of the IRC front door; 0 turns it off", 0, 65535, o => o.Irc.Port, (o, v) => o.Irc.Port = v),
        Int("irc-tls-port", "IrcTlsPort", "TCP port of IRC over TLS, served when --tls-cert is given; 0 turns it off", 0, 65535, o => o.Irc.TlsPort, (o, v) => o.Irc.TlsPort = v),
        Bool("irc-websocket", "IrcWebSocket", "true: serve IRC over WebSocket (IRCv3's text.ircv3.net and binary.ircv3.net) on the HTTP side, at /irc and to a handshake at /, for IRC clients in web pages; pages of other origins need --web-chat-origins", o => o.Irc.WebSocket, (o, v) => o.Irc.WebSocket = v),
        new("irc-server-name", "IrcServerName", "the server's name to IRC clients (letters, digits, '.', '-')", o => o.Irc.ServerName, (o, v) =>
        {
            if (v.Length is 0 or > 63 || !v.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))
            {
                throw new FormatException("is not 1 to 63 letters, digits, '.' or '-'");
            }

            o.Irc.ServerName = v;
        }),
        new("irc-server-description", "IrcServerDescription", "a line about this server, shown beside its name in IRC's WHOIS and LINKS", o => o.Irc.ServerDescription, (o, v) =>
        {
            if (v.Length is 0 or > 100 || v.Any(char.IsControl))
            {
                throw new FormatException("is not 1 to 100 characters without control characters");
            }

            o.Irc.ServerDescription = v;
        }),
        new("irc-operators", "IrcOperators", "comma-separated name:password pairs that IRC's OPER accepts (an IRC operator may KILL and WALLOPS); none by default, and never shown",
            _ => "",
            (o, v) => o.Irc.Operators = IrcOperatorLogins.Parse(v),
            Secret: true),
        Seconds("irc-ping-interval", "IrcPingInterval", "seconds of silence before an IRC client is sent a PING (dropped after as long again)", 1, o => o.Irc.PingInterval, (o, v) => o.Irc.PingInterval = v),
        Bool("web-chat", "WebChat", "true: serve the web chat, the page /chat and its WebSocket /ws, on the HTTP side; false answers 404", o => o.WebChat.Enabled, (o, v) => o.WebChat.Enabled = v),
        Seconds("web-chat-keep-alive", "WebChatKeepAlive", "seconds between the server's pings to a browser; one that does not answer within as long again is dropped (ping timeout)", 1, o => o.WebChat.KeepAlive, (o, v) => o.WebChat.KeepAlive = v),
        Seconds("web-chat-nick-timeout", "WebChatNickTimeout", "seconds a web chat socket may stay open without picking a nickname", 1, o => o.WebChat.NicknameTimeout, (o, v) => o.WebChat.NicknameTimeout = v),
        new("web-chat-origins", "WebChatOrigins", "comma-separated origins (https://chat.example.com) besides the server's own whose pages may open the web chat's WebSocket and IRC's; none by default",
            o => string.Join(',', o.WebChat.AllowedOrigins),
            (o, v) =>
            {
                var origins = v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (origins.Select(WebChatOptions.ValidateOrigin).FirstOrDefault(error => error is not null) is { } error)
                {
                    throw new FormatException(error);
                }

                o.WebChat.AllowedOrigins = origins;
            }),
        Text("tls-cert", "TlsCertificate", "certificate that turns on the TLS chat: a .pfx file, or a PEM file with --tls-key", o => o.Listener.TlsCertificate, (o, v) => o.Listener.TlsCertificate = v),
        Text("tls-key", "TlsKey", "PEM private key for a PEM --tls-cert", o => o.Listener.TlsKey, (o, v) => o.Listener.TlsKey = v),
        Text("tls-cert-password", "TlsCertificatePassword", "password of the .pfx file", _ => "", (o, v) => o.Listener.TlsCertificatePassword = v),
        new("chat-transport", "ChatTransport", "how the plain chat port holds its sockets: auto (epoll, and io_uring direct descriptors past the open-files limit), epoll, or io_uring", o => o.Listener.ChatTransport, (o, v) =>
        {
            if (v is not ("auto" or "epoll" or "io_uring"))
            {
                throw new FormatException("is not auto, epoll or io_uring");
            }

            o.Listener.ChatTransport = v;
        }),
        Bool("send-batching", "SendBatching", "true: a broadcast's sends to the plain chat port's connections go to the kernel in one io_uring call (plain sends where io_uring is not available)", o => o.Listener.SendBatching, (o, v) => o.Listener.SendBatching = v),
        Int("send-hold-ms", "SendHoldMs", "milliseconds a busy flush lane waits between turns so a recipient's lines leave in one send; 0 sends at once", 0, 100, o => o.Listener.SendHoldMs, (o, v) => o.Listener.SendHoldMs = v),
        new("log-format", "LogFormat", "console log format: text, or json (one object per line)", o => o.Listener.LogFormat, (o, v) =>
        {
            if (v is not ("text" or "json"))
            {
                throw new FormatException("is not text or json");
            }

            o.Listener.LogFormat = v;
        }),
        new("database", "Database", "PostgreSQL connection string (Host=...;Database=...;Username=...); empty: SQLite file catchat.db in the data directory", _ => "", (o, v) =>
        {
            if (PersistenceOptions.ValidateDatabase(v) is { } error)
            {
                throw new FormatException(error);
            }

            o.Persistence.Database = v;
        },
            Secret: true),
        Int("history-replay", "HistoryReplay", "lines of history shown to a new login; 0 turns it off", 0, 100, o => o.Chat.HistoryReplay, (o, v) => o.Chat.HistoryReplay = v),
        Int("history-queue", "HistoryQueue", "history lines that may wait for the database before the oldest are dropped", 1, 10_000_000, o => o.Persistence.HistoryQueue, (o, v) => o.Persistence.HistoryQueue = v),
        Days("history-retention-days", "HistoryRetention", "days of history kept; 0 keeps it forever", o => o.Persistence.HistoryRetention, (o, v) => o.Persistence.HistoryRetention = v),
        new("default-room", "DefaultRoom", "the room every login starts in (# and 1 to 32 letters, digits, - or _)", o => o.Chat.DefaultRoom, (o, v) =>
        {
            if (RoomName.Validate(v) is { } invalid)
            {
                throw new FormatException("is not a room name: " + invalid);
            }

            o.Chat.DefaultRoom = v;
        }),
        Int("rooms-per-user", "RoomsPerUser", "rooms one user may be in at once", 1, RoomLimits.MaxRoomsPerUser, o => o.Chat.RoomsPerUser, (o, v) => o.Chat.RoomsPerUser = v),
        Int("max-rooms", "MaxRooms", "rooms the server may have at once, besides the default one", 1, 10_000_000, o => o.Chat.MaxRooms, (o, v) => o.Chat.MaxRooms = v),
        Int("room-max-members", "RoomMaxMembers", "members one room may have; 0: no limit (the default room takes every login)", 0, 10_000_000, o => o.Chat.RoomMaxMembers, (o, v) => o.Chat.RoomMaxMembers = v),
        Bool("history-private", "HistoryPrivate", "true: store private messages in the history too (the audit trail of a workplace chat, say)", o => o.Chat.HistoryPrivate, (o, v) => o.Chat.HistoryPrivate = v),
        Int("history-max-rows", "HistoryMaxRows", "history lines kept at most", 1, int.MaxValue, o => o.Persistence.HistoryMaxRows, (o, v) => o.Persistence.HistoryMaxRows = v),
        Seconds("shutdown-timeout", "ShutdownTimeout", "seconds clients get to receive the shutdown notice", 0, o => o.Listener.ShutdownTimeout, (o, v) => o.Listener.ShutdownTimeout = v),
        new("redis", "Redis", "Redis server (host:port) that joins several CatChat nodes into one chat; empty: a single node", o => o.Backplane.Redis, (o, v) =>
        {
            if (v.Length > 0 && !IsRedisConfiguration(v))
            {
                throw new FormatException("is not a Redis server address (host:port)");
            }

            o.Backplane.Redis = v;
        },
            Secret: true), // It may carry a password (host:port,password=...).
        new("node-name", "NodeName", "this node's name in the cluster (letters, digits, '.', '_', '-'); empty: the host name", o => o.Backplane.NodeName, (o, v) =>
        {
            if (v.Length > 64 || (v.Length > 0 && BackplaneOptions.SafeNodeName(v) != v))
            {
                throw new FormatException("is not a node name: at most 64 ASCII letters, digits, '.', '_' and '-'");
            }

            o.Backplane.NodeName = v;
        }),
        Seconds("redis-heartbeat", "RedisHeartbeat", "seconds between a node's heartbeats to the cluster", 0.1, o => o.Backplane.RedisHeartbeat, (o, v) => o.Backplane.RedisHeartbeat = v),
        Seconds("redis-presence-timeout", "RedisPresenceTimeout", "seconds without a heartbeat before a node counts as gone, and its users with it", 0.5, o => o.Backplane.RedisPresenceTimeout, (o, v) => o.Backplane.RedisPresenceTimeout = v),
        Int("redis-queue", "RedisQueue", "messages that may wait for Redis before new ones are dropped", 1, 10_000_000, o => o.Backplane.RedisQueue, (o, v) => o.Backplane.RedisQueue = v),
    ];

    /// <summary>Maps every <c>--switch</c> to its configuration key, for <c>AddCommandLine</c>.</summary>
    public static Dictionary<string, string> SwitchMappings() =>
        All.ToDictionary(s => s.Switch, s => s.ConfigurationKey, StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds the options from configuration; throws <see cref="SettingException"/> naming the first bad setting.</summary>
    public static CatChatSettings Bind(IConfiguration configuration)
    {
        var options = new CatChatSettings();
        foreach (var setting in All)
        {
            var value = configuration[setting.ConfigurationKey];
            if (value is null)
            {
                continue;
            }

            try
            {
                setting.Apply(options, value.Trim());
            }
            catch (FormatException ex)
            {
                // A secret's value is not repeated, not even on the console.
                var shown = setting.Secret ? "the value" : $"\"{value}\"";
                throw new SettingException($"invalid setting {setting.Switch} ({setting.ConfigurationKey}): {shown} {ex.Message}");
            }
        }

        if (options.Persistence.Database.Length == 0 && configuration.GetConnectionString("CatChat") is { Length: > 0 } connectionString)
        {
            if (PersistenceOptions.ValidateDatabase(connectionString) is { } error)
            {
                throw new SettingException($"invalid setting --database (ConnectionStrings:CatChat): the value {error}");
            }

            options.Persistence.Database = connectionString;
        }

        var tlsConfigured = configuration[All.Single(s => s.Name == "tls-port").ConfigurationKey] is not null
            || options.Listener.TlsKey.Length > 0;
        if (tlsConfigured && !options.Listener.TlsEnabled)
        {
            throw new SettingException("invalid setting --tls-cert (CatChat:TlsCertificate): the TLS chat needs a certificate file");
        }

        if (options.Backplane.RedisPresenceTimeout < 2 * options.Backplane.RedisHeartbeat)
        {
            throw new SettingException("invalid setting --redis-presence-timeout (CatChat:RedisPresenceTimeout): it must be at least twice --redis-heartbeat");
        }

        if (SendQueueShortfall(options) is { } shortfall)
        {
            throw new SettingException("invalid setting --send-queue-bytes (CatChat:SendQueueBytes): " + shortfall);
        }

        return options;
    }

    /// <summary>Lines of the longest kind a send queue must hold, so one long line does not drop every reader as slow.</summary>
    public const int SendQueueLongestLines = 4;

    /// <summary>Room for what goes around a line's text (nickname, room, JSON fields), itself escaped.</summary>
    public const int LineEnvelopeBytes = 1024;

    // The web chat's JSON escapes HTML-significant characters: '<' (one byte) becomes \u003C (six).
    private const int WebChatEscapeFactor = 6;

    /// <summary>The smallest send queue that holds <see cref="SendQueueLongestLines"/> of the longest lines as sent.</summary>
    public static long MinimumSendQueueBytes(CatChatSettings options) =>
        SendQueueLongestLines * ((long)options.Chat.MaxLineBytes * (options.WebChat.Enabled ? WebChatEscapeFactor : 1) + LineEnvelopeBytes);

    private static string? SendQueueShortfall(CatChatSettings options)
    {
        var minimum = MinimumSendQueueBytes(options);
        if (options.Sessions.SendQueueBytes >= minimum)
        {
            return null;
        }

        var perLine = options.WebChat.Enabled ? $"{WebChatEscapeFactor} × {options.Chat.MaxLineBytes}" : $"{options.Chat.MaxLineBytes}";
        var why = options.WebChat.Enabled ? $", as the web chat's JSON may escape a byte as {WebChatEscapeFactor}" : "";
        return $"{options.Sessions.SendQueueBytes} cannot hold {SendQueueLongestLines} of the longest lines (--max-line-bytes {options.Chat.MaxLineBytes}); "
            + $"it must be at least {minimum} ({SendQueueLongestLines} × ({perLine} + {LineEnvelopeBytes}){why}), or --max-line-bytes smaller";
    }

    // Anything StackExchange.Redis accepts that names at least one server.
    private static bool IsRedisConfiguration(string value)
    {
        try
        {
            // The parser takes any text as a host name ("foo bar baz"); a name must be one DNS could answer.
            var endPoints = StackExchange.Redis.ConfigurationOptions.Parse(value).EndPoints;
            return endPoints.Count > 0
                && endPoints.All(endPoint => endPoint is System.Net.IPEndPoint
                    || (endPoint is System.Net.DnsEndPoint dns && Uri.CheckHostName(dns.Host) == UriHostNameType.Dns));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Checks that every <c>--switch</c> on the command line is known, so a typo is not silently ignored.</summary>
    public static void CheckCommandLine(IReadOnlyList<string> args)
    {
        var known = SwitchMappings();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new SettingException($"unexpected argument \"{arg}\" (settings are given as --name value; see --help)");
            }

            var name = arg.Split('=', 2)[0];
            if (!known.ContainsKey(name))
            {
                throw new SettingException($"unknown option {name} (see --help)");
            }

            if (!arg.Contains('=', StringComparison.Ordinal))
            {
                if (i + 1 >= args.Count)
                {
                    throw new SettingException($"option {name} needs a value");
                }

                i++;
            }
        }
    }

    public static string Help()
    {
        var defaults = new CatChatSettings();
        var text = new StringBuilder();
        text.AppendLine("CatChat: a line-based chat server. Connect with `nc HOST 1400`.");
        text.AppendLine();
        text.AppendLine("Usage: catchat [--setting value]...   (also --help, --version)");
        text.AppendLine("Every setting may also come from appsettings.json (section \"CatChat\") or the environment (CatChat__Key).");
        text.AppendLine();
        var width = All.Max(s => s.Switch.Length);
        foreach (var setting in All)
        {
            var shown = setting.Show(defaults);
            text.Append("  ").Append(setting.Switch.PadRight(width + 2)).Append(setting.Description);
            text.Append(" [").Append(setting.Key).Append("; default: ").Append(shown.Length == 0 ? "none" : shown).AppendLine("]");
        }

        return text.ToString();
    }
}
