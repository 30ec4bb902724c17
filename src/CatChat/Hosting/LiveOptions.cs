using CatChat.Chat;

namespace CatChat.Hosting;

/// <summary>
/// The settings as they are now. When a configuration file changes, CatChat reads it again: the banner and
/// the chat limits apply to new lines and connections at once; listeners, the data directory and the
/// database keep their start-up values until a restart. A file that no longer parses is logged and ignored.
/// </summary>
internal sealed partial class LiveOptions
{
    private readonly CatChatOptions _startup;
    private readonly IConfiguration _configuration;
    private readonly ChatRoom _room;
    private readonly ILogger<LiveOptions> _logger;
    private CatChatOptions _current;

    public LiveOptions(CatChatOptions startup, IConfiguration configuration, ChatRoom room, ILogger<LiveOptions> logger)
    {
        _startup = startup;
        _current = startup;
        _configuration = configuration;
        _room = room;
        _logger = logger;
        Microsoft.Extensions.Primitives.ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    public CatChatOptions Current => Volatile.Read(ref _current);

    private void Reload()
    {
        CatChatOptions next;
        try
        {
            next = SettingsCatalog.Bind(_configuration);
        }
        catch (SettingException ex)
        {
            SettingsRejected(_logger, ex.Message);
            return;
        }

        // What only a restart can change stays as it started.
        next.ChatPort = _startup.ChatPort;
        next.Bind = _startup.Bind;
        next.HttpPort = _startup.HttpPort;
        next.HttpBind = _startup.HttpBind;
        next.TlsPort = _startup.TlsPort;
        next.TlsCertificate = _startup.TlsCertificate;
        next.TlsKey = _startup.TlsKey;
        next.TlsCertificatePassword = _startup.TlsCertificatePassword;
        next.DataDir = _startup.DataDir;
        next.Database = _startup.Database;
        next.LogFormat = _startup.LogFormat;
        next.Redis = _startup.Redis;
        next.NodeName = _startup.NodeName;
        next.RedisHeartbeat = _startup.RedisHeartbeat;
        next.RedisPresenceTimeout = _startup.RedisPresenceTimeout;
        next.RedisQueue = _startup.RedisQueue;
        next.TrustedProxies = _startup.TrustedProxies;

        var previous = Interlocked.Exchange(ref _current, next);
        if (previous.Banner != next.Banner)
        {
            // This node's file: other nodes follow their own files.
            _room.SetBanner(BannerText.Parse(next.Banner), "configuration file", everyNode: false);
        }

        SettingsReloaded(_logger);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Configuration changed: the banner and chat limits now apply to new lines and connections")]
    private static partial void SettingsReloaded(ILogger logger);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Configuration changed but was not applied: {Reason}")]
    private static partial void SettingsRejected(ILogger logger, string reason);
}
