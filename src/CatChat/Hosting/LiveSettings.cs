using CatChat.Chat;
using CatChat.Sessions;
using Microsoft.Extensions.Options;

namespace CatChat.Hosting;

/// <summary>
/// What may change while running, said once: the chat's settings (<see cref="ChatOptions"/>: the banner, line and
/// nickname limits, history shown) and the sessions' (<see cref="SessionLimits"/>: caps, flood control, timers).
/// When a configuration file changes, every setting is read and checked again, and these two areas take the new
/// values for new lines and connections; every other area keeps its start-up values until a restart. A file that no
/// longer parses is logged and ignored.
/// </summary>
internal sealed partial class LiveSettings : IOptionsMonitor<ChatOptions>, IOptionsMonitor<SessionLimits>
{
    private readonly IConfiguration _configuration;
    private readonly ChatRoom _room;
    private readonly ILogger<LiveSettings> _logger;
    private CatChatSettings _current;

    public LiveSettings(CatChatSettings startup, IConfiguration configuration, ChatRoom room, ILogger<LiveSettings> logger)
    {
        _current = startup;
        _configuration = configuration;
        _room = room;
        _logger = logger;
        Microsoft.Extensions.Primitives.ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    ChatOptions IOptionsMonitor<ChatOptions>.CurrentValue => Volatile.Read(ref _current).Chat;

    SessionLimits IOptionsMonitor<SessionLimits>.CurrentValue => Volatile.Read(ref _current).Sessions;

    ChatOptions IOptionsMonitor<ChatOptions>.Get(string? name) => Volatile.Read(ref _current).Chat;

    SessionLimits IOptionsMonitor<SessionLimits>.Get(string? name) => Volatile.Read(ref _current).Sessions;

    // Nobody subscribes: readers take the current value when a line or a connection arrives.
    IDisposable? IOptionsMonitor<ChatOptions>.OnChange(Action<ChatOptions, string?> listener) => null;

    IDisposable? IOptionsMonitor<SessionLimits>.OnChange(Action<SessionLimits, string?> listener) => null;

    private void Reload()
    {
        CatChatSettings next;
        try
        {
            next = SettingsCatalog.Bind(_configuration);
        }
        catch (SettingException ex)
        {
            SettingsRejected(_logger, ex.Message);
            return;
        }

        var previous = Interlocked.Exchange(ref _current, next);
        _room.RoomLimits = next.Chat.ToRoomLimits(defaultRoom: _room.RoomLimits.DefaultRoom);
        if (previous.Chat.Banner != next.Chat.Banner)
        {
            // This node's file: other nodes follow their own files.
            _room.SetBanner(BannerText.Parse(next.Chat.Banner), "configuration file", everyNode: false);
        }

        SettingsReloaded(_logger);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Configuration changed: the banner and chat limits now apply to new lines and connections")]
    private static partial void SettingsReloaded(ILogger logger);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Configuration changed but was not applied: {Reason}")]
    private static partial void SettingsRejected(ILogger logger, string reason);
}
