using CatChat.Chat;

namespace CatChat.FrontDoors.Irc;

/// <summary>A client that MONITORs nicknames: told when one it watches comes online or goes offline.</summary>
internal interface IMonitorWatcher
{
    void MonitoredOnline(string nick);

    void MonitoredOffline(string nick);

    /// <summary>The member to tell of a watched nick's away and real-name changes (extended-monitor), or null.</summary>
    ChatMember? ExtendedMonitorRecipient { get; }
}
