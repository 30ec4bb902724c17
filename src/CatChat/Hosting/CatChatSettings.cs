using CatChat.Api;
using CatChat.Backplane;
using CatChat.Chat;
using CatChat.FrontDoors.Irc;
using CatChat.FrontDoors.WebSocket;
using CatChat.Persistence;
using CatChat.Sessions;

namespace CatChat.Hosting;

/// <summary>
/// Every area's settings, as <see cref="SettingsCatalog"/> reads them from the configuration at once (so one bad value
/// stops the start, naming its setting). Hosting hands each area its own options type, nothing more.
/// </summary>
public sealed class CatChatSettings
{
    public ListenerOptions Listener { get; } = new();

    public ChatOptions Chat { get; } = new();

    public SessionLimits Sessions { get; } = new();

    public PersistenceOptions Persistence { get; } = new();

    public BackplaneOptions Backplane { get; } = new();

    public ApiOptions Api { get; } = new();

    public IrcOptions Irc { get; } = new();

    public WebChatOptions WebChat { get; } = new();
}
