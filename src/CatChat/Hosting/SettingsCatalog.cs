using System.Globalization;
using System.Net;
using System.Text;
using CatChat.Chat;
using Microsoft.Extensions.Configuration;

namespace CatChat.Hosting;

/// <summary>The table of every setting: parses configuration into <see cref="CatChatOptions"/> and prints <c>--help</c>.</summary>
public static class SettingsCatalog
{
    public static IReadOnlyList<Setting> All { get; } =
    [
        Int("chat-port", nameof(CatChatOptions.ChatPort), "TCP port of the chat (0 picks a free port)", 0, 65535, o => o.ChatPort, (o, v) => o.ChatPort = v),
        Address("bind", nameof(CatChatOptions.Bind), "address the chat listens on; * means every interface", o => o.Bind, (o, v) => o.Bind = v),
        Int("http-port", nameof(CatChatOptions.HttpPort), "TCP port of the HTTP side (/healthz)", 0, 65535, o => o.HttpPort, (o, v) => o.HttpPort = v),
        Address("http-bind", nameof(CatChatOptions.HttpBind), "address the HTTP side listens on; loopback unless you mean to expose it", o => o.HttpBind, (o, v) => o.HttpBind = v),
        new("trusted-proxies", nameof(CatChatOptions.TrustedProxies), "comma-separated reverse proxies (addresses or CIDR networks) whose X-Forwarded-For/-Proto are believed; none by default",
            o => string.Join(',', o.TrustedProxies),
            (o, v) =>
            {
                var entries = v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (entries.Any(entry => !CatChatOptions.TryParseNetwork(entry, out _)))
                {
                    throw new FormatException("is not a comma-separated list of IP addresses or CIDR networks");
                }

                o.TrustedProxies = entries;
            }),
        Text("data-dir", nameof(CatChatOptions.DataDir), "directory for CatChat's data", o => o.DataDir, (o, v) => o.DataDir = v),
        new("banner", nameof(CatChatOptions.Banner), "greeting sent on login; \\n separates lines", o => o.Banner.Replace("\n", "\\n", StringComparison.Ordinal), (o, v) =>
        {
            // On a command line a newline is written \n; the banner itself is checked as every banner is.
            var text = v.Replace("\\n", "\n", StringComparison.Ordinal);
            if (BannerText.TryParse(text, out var error) is null)
            {
                throw new FormatException(error);
            }

            o.Banner = text;
        }),
        Int("max-line-bytes", nameof(CatChatOptions.MaxLineBytes), "longest line accepted, in bytes", 16, 1024 * 1024, o => o.MaxLineBytes, (o, v) => o.MaxLineBytes = v),
        Int("nick-max-length", nameof(CatChatOptions.NickMaxLength), "longest nickname, in characters", 1, 64, o => o.NickMaxLength, (o, v) => o.NickMaxLength = v),
        new("reserved-nicks", nameof(CatChatOptions.ReservedNicks), "comma-separated nicknames nobody may take",
            o => string.Join(',', o.ReservedNicks),
            (o, v) => o.ReservedNicks = v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
        Int("flood-burst", nameof(CatChatOptions.FloodBurst), "lines a client may send at once before it is slowed down; 0 turns flood control off", 0, 1_000_000, o => o.FloodBurst, (o, v) => o.FloodBurst = v),
        Number("flood-rate", nameof(CatChatOptions.FloodLinesPerSecond), "lines per second a client may send after its burst", 0.01, 1_000_000, o => o.FloodLinesPerSecond, (o, v) => o.FloodLinesPerSecond = v),
        Seconds("flood-disconnect-after", nameof(CatChatOptions.FloodDisconnectAfter), "seconds a client may stay throttled without a pause before it is disconnected", 1, o => o.FloodDisconnectAfter, (o, v) => o.FloodDisconnectAfter = v),
        Int("send-queue-bytes", nameof(CatChatOptions.SendQueueBytes), "output a client may leave unread before it is disconnected as a slow consumer", 1024, int.MaxValue, o => o.SendQueueBytes, (o, v) => o.SendQueueBytes = v),
        Int("max-connections", nameof(CatChatOptions.MaxConnections), "chat connections in total", 1, 10_000_000, o => o.MaxConnections, (o, v) => o.MaxConnections = v),
        Int("max-connections-per-ip", nameof(CatChatOptions.MaxConnectionsPerIp), "chat connections from one IP address", 1, 10_000_000, o => o.MaxConnectionsPerIp, (o, v) => o.MaxConnectionsPerIp = v),
        Bool("loopback-exempt", nameof(CatChatOptions.LoopbackExempt), "true: connections from loopback ignore the per-IP limit", o => o.LoopbackExempt, (o, v) => o.LoopbackExempt = v),
        Seconds("idle-timeout", nameof(CatChatOptions.IdleTimeout), "seconds without a line before a client is disconnected; 0 never", 0, o => o.IdleTimeout, (o, v) => o.IdleTimeout = v),
        Bool("presence-notices", nameof(CatChatOptions.PresenceNotices), "true: tell the room when someone joins or leaves (a very large room may prefer false)", o => o.PresenceNotices, (o, v) => o.PresenceNotices = v),
        Seconds("join-announce-delay", nameof(CatChatOptions.JoinAnnounceDelay), "seconds the join notice waits for a first line (so HTTP requests are refused unannounced)", 0, o => o.JoinAnnounceDelay, (o, v) => o.JoinAnnounceDelay = v),
        Seconds("keepalive-time", nameof(CatChatOptions.KeepAliveTime), "seconds of silence before TCP keepalive probes a chat connection", 1, o => o.KeepAliveTime, (o, v) => o.KeepAliveTime = v),
        Seconds("keepalive-interval", nameof(CatChatOptions.KeepAliveInterval), "seconds between TCP keepalive probes", 1, o => o.KeepAliveInterval, (o, v) => o.KeepAliveInterval = v),
        Int("keepalive-probes", nameof(CatChatOptions.KeepAliveProbes), "unanswered keepalive probes before a connection is dropped", 1, 100, o => o.KeepAliveProbes, (o, v) => o.KeepAliveProbes = v),
        Int("tls-port", nameof(CatChatOptions.TlsPort), "TCP port of the TLS chat, served when --tls-cert is given (0 picks a free port)", 0, 65535, o => o.TlsPort, (o, v) => o.TlsPort = v),
        Text("tls-cert", nameof(CatChatOptions.TlsCertificate), "certificate that turns on the TLS chat: a .pfx file, or a PEM file with --tls-key", o => o.TlsCertificate, (o, v) => o.TlsCertificate = v),
        Text("tls-key", nameof(CatChatOptions.TlsKey), "PEM private key for a PEM --tls-cert", o => o.TlsKey, (o, v) => o.TlsKey = v),
        Text("tls-cert-password", nameof(CatChatOptions.TlsCertificatePassword), "password of the .pfx file", _ => "", (o, v) => o.TlsCertificatePassword = v),
        new("chat-transport", nameof(CatChatOptions.ChatTransport), "how the plain chat port holds its sockets: auto (epoll, and io_uring direct descriptors past the open-files limit), epoll, or io_uring", o => o.ChatTransport, (o, v) =>
        {
            if (v is not ("auto" or "epoll" or "io_uring"))
            {
                throw new FormatException("is not auto, epoll or io_uring");
            }

            o.ChatTransport = v;
        }),
        Bool("send-batching", nameof(CatChatOptions.SendBatching), "true: a broadcast's sends to the plain chat port's connections go to the kernel in one io_uring call (plain sends where io_uring is not available)", o => o.SendBatching, (o, v) => o.SendBatching = v),
        new("log-format", nameof(CatChatOptions.LogFormat), "console log format: text, or json (one object per line)", o => o.LogFormat, (o, v) =>
        {
            if (v is not ("text" or "json"))
            {
                throw new FormatException("is not text or json");
            }

            o.LogFormat = v;
        }),
        Text("database", nameof(CatChatOptions.Database), "PostgreSQL connection string (Host=...;Database=...;Username=...); empty: SQLite file catchat.db in the data directory", _ => "", (o, v) => o.Database = v),
        Int("history-replay", nameof(CatChatOptions.HistoryReplay), "lines of history shown to a new login; 0 turns it off", 0, 100, o => o.HistoryReplay, (o, v) => o.HistoryReplay = v),
        Int("history-queue", nameof(CatChatOptions.HistoryQueue), "history lines that may wait for the database before the oldest are dropped", 1, 10_000_000, o => o.HistoryQueue, (o, v) => o.HistoryQueue = v),
        Days("history-retention-days", nameof(CatChatOptions.HistoryRetention), "days of history kept; 0 keeps it forever", o => o.HistoryRetention, (o, v) => o.HistoryRetention = v),
        Bool("history-private", nameof(CatChatOptions.HistoryPrivate), "true: store private messages in the history too (the audit trail of a workplace chat, say)", o => o.HistoryPrivate, (o, v) => o.HistoryPrivate = v),
        Int("history-max-rows", nameof(CatChatOptions.HistoryMaxRows), "history lines kept at most", 1, int.MaxValue, o => o.HistoryMaxRows, (o, v) => o.HistoryMaxRows = v),
        Seconds("shutdown-timeout", nameof(CatChatOptions.ShutdownTimeout), "seconds clients get to receive the shutdown notice", 0, o => o.ShutdownTimeout, (o, v) => o.ShutdownTimeout = v),
        new("redis", nameof(CatChatOptions.Redis), "Redis server (host:port) that joins several CatChat nodes into one chat; empty: a single node", o => o.Redis, (o, v) =>
        {
            if (v.Length > 0 && !IsRedisConfiguration(v))
            {
                throw new FormatException("is not a Redis server address (host:port)");
            }

            o.Redis = v;
        }),
        new("node-name", nameof(CatChatOptions.NodeName), "this node's name in the cluster (letters, digits, '.', '_', '-'); empty: the host name", o => o.NodeName, (o, v) =>
        {
            if (v.Length > 64 || (v.Length > 0 && CatChatOptions.SafeNodeName(v) != v))
            {
                throw new FormatException("is not a node name: at most 64 ASCII letters, digits, '.', '_' and '-'");
            }

            o.NodeName = v;
        }),
        Seconds("redis-heartbeat", nameof(CatChatOptions.RedisHeartbeat), "seconds between a node's heartbeats to the cluster", 0.1, o => o.RedisHeartbeat, (o, v) => o.RedisHeartbeat = v),
        Seconds("redis-presence-timeout", nameof(CatChatOptions.RedisPresenceTimeout), "seconds without a heartbeat before a node counts as gone, and its users with it", 0.5, o => o.RedisPresenceTimeout, (o, v) => o.RedisPresenceTimeout = v),
        Int("redis-queue", nameof(CatChatOptions.RedisQueue), "messages that may wait for Redis before new ones are dropped", 1, 10_000_000, o => o.RedisQueue, (o, v) => o.RedisQueue = v),
    ];

    /// <summary>Maps every <c>--switch</c> to its configuration key, for <c>AddCommandLine</c>.</summary>
    public static Dictionary<string, string> SwitchMappings() =>
        All.ToDictionary(s => s.Switch, s => s.ConfigurationKey, StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds the options from configuration; throws <see cref="SettingException"/> naming the first bad setting.</summary>
    public static CatChatOptions Bind(IConfiguration configuration)
    {
        var options = new CatChatOptions();
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
                throw new SettingException($"invalid setting {setting.Switch} ({setting.ConfigurationKey}): \"{value}\" {ex.Message}");
            }
        }

        if (options.Database.Length == 0 && configuration.GetConnectionString("CatChat") is { Length: > 0 } connectionString)
        {
            options.Database = connectionString;
        }

        var tlsConfigured = configuration[All.Single(s => s.Name == "tls-port").ConfigurationKey] is not null
            || options.TlsKey.Length > 0;
        if (tlsConfigured && !options.TlsEnabled)
        {
            throw new SettingException("invalid setting --tls-cert (CatChat:TlsCertificate): the TLS chat needs a certificate file");
        }

        if (options.RedisPresenceTimeout < 2 * options.RedisHeartbeat)
        {
            throw new SettingException("invalid setting --redis-presence-timeout (CatChat:RedisPresenceTimeout): it must be at least twice --redis-heartbeat");
        }

        return options;
    }

    // Anything StackExchange.Redis accepts that names at least one server.
    private static bool IsRedisConfiguration(string value)
    {
        try
        {
            return StackExchange.Redis.ConfigurationOptions.Parse(value).EndPoints.Count > 0;
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
        var defaults = new CatChatOptions();
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

    private static Setting Text(string name, string key, string description, Func<CatChatOptions, string> show, Action<CatChatOptions, string> apply) =>
        new(name, key, description, show, apply);

    private static Setting Int(string name, string key, string description, int min, int max, Func<CatChatOptions, int> show, Action<CatChatOptions, int> apply) =>
        new(name, key, description, o => show(o).ToString(CultureInfo.InvariantCulture), (o, v) =>
        {
            if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            {
                throw new FormatException($"is not a whole number from {min} to {max}");
            }

            apply(o, n);
        });

    private static Setting Number(string name, string key, string description, double min, double max, Func<CatChatOptions, double> show, Action<CatChatOptions, double> apply) =>
        new(name, key, description, o => show(o).ToString(CultureInfo.InvariantCulture), (o, v) =>
        {
            if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !(n >= min && n <= max))
            {
                throw new FormatException($"is not a number from {min} to {max}");
            }

            apply(o, n);
        });

    private static Setting Seconds(string name, string key, string description, double min, Func<CatChatOptions, TimeSpan> show, Action<CatChatOptions, TimeSpan> apply) =>
        new(name, key, description, o => show(o).TotalSeconds.ToString(CultureInfo.InvariantCulture), (o, v) =>
        {
            if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !(n >= min && n <= 31_536_000))
            {
                throw new FormatException($"is not a number of seconds from {min} to 31536000");
            }

            apply(o, TimeSpan.FromSeconds(n));
        });

    private static Setting Days(string name, string key, string description, Func<CatChatOptions, TimeSpan> show, Action<CatChatOptions, TimeSpan> apply) =>
        new(name, key, description, o => show(o).TotalDays.ToString(CultureInfo.InvariantCulture), (o, v) =>
        {
            if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !(n >= 0 && n <= 36500))
            {
                throw new FormatException("is not a number of days from 0 to 36500");
            }

            apply(o, TimeSpan.FromDays(n));
        });

    private static Setting Bool(string name, string key, string description, Func<CatChatOptions, bool> show, Action<CatChatOptions, bool> apply) =>
        new(name, key, description, o => show(o) ? "true" : "false", (o, v) =>
        {
            if (!bool.TryParse(v, out var b))
            {
                throw new FormatException("is not true or false");
            }

            apply(o, b);
        });

    private static Setting Address(string name, string key, string description, Func<CatChatOptions, string> show, Action<CatChatOptions, string> apply) =>
        new(name, key, description, show, (o, v) =>
        {
            if (v != "*" && !IPAddress.TryParse(v, out _))
            {
                throw new FormatException("is not an IP address or *");
            }

            apply(o, v);
        });
}
