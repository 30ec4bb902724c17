using CatChat.Chat;
using CatChat.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CatChat.Hosting;

/// <summary>
/// What may change while running, said once: the chat's settings (<see cref="ChatOptions"/>: the banner, line and
/// nickname limits, history shown) and the sessions' (<see cref="SessionLimits"/>: caps, flood control, timers).
/// When a configuration file changes, every setting is read and checked again, and these two areas take the new
/// values for new lines and connections; every other area keeps its start-up values until a restart. A file that no
/// longer parses is logged and ignored: the running settings stay as they were.
/// </summary>
internal sealed partial class LiveSettings : IOptionsMonitor<ChatOptions>, IOptionsMonitor<SessionLimits>
{
    private readonly IConfiguration _configuration;
    private readonly ChatRoom _room;
    private readonly ILogger<LiveSettings> _logger;
    private CatChatSettings _current;
    private string? _unreadableFile; // Why the file that changed last could not be read, until Reload has said so.

    public LiveSettings(CatChatSettings startup, IConfiguration configuration, ChatRoom room, ILogger<LiveSettings> logger)
    {
        _current = startup;
        _configuration = configuration;
        _room = room;
        _logger = logger;

        // Set once the start has read every file (a bad file then stops the start). Left to itself, a file that fails
        // on reload empties its values and throws on the file watcher's thread, unseen; so the failure is noted here
        // and Reload, which the reload then calls, keeps the running settings instead of binding the emptied ones.
        if (configuration is IConfigurationRoot root)
        {
            foreach (var provider in root.Providers.OfType<FileConfigurationProvider>())
            {
                provider.Source.OnLoadException = failure =>
                {
                    Volatile.Write(ref _unreadableFile, $"{failure.Exception.Message} {failure.Exception.GetBaseException().Message}");
                    failure.Ignore = true;
                };
            }
        }

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
        if (Interlocked.Exchange(ref _unreadableFile, null) is { } problem)
        {
            SettingsFileUnreadable(_logger, problem);
            return;
        }

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

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Configuration file changed but could not be read, so the running settings stay as they were: {Reason}")]
    private static partial void SettingsFileUnreadable(ILogger logger, string reason);
}
