namespace CatChat.FrontDoors.Irc;

/// <summary>A client that MONITORs nicknames: told when one it watches comes online or goes offline.</summary>
internal interface IMonitorWatcher
{
    void MonitoredOnline(string nick);

    void MonitoredOffline(string nick);
}
