using CatChat.Chat;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// MONITOR on this node: which client watches which nickname, and telling them when it comes online or goes
/// offline anywhere in the cluster. The chat's event feed (joins, leaves and renames, other nodes' included) is listened
/// to only while somebody watches, so a node where nobody uses MONITOR pays nothing for it.
/// </summary>
internal sealed class IrcMonitors(ChatEventHub events)
{
    /// <summary>How many nicknames one client may watch (ISUPPORT MONITOR=).</summary>
    public const int MaxPerClient = 100;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<IMonitorWatcher>> _watchers = new(StringComparer.OrdinalIgnoreCase);
    private ChatEventHub.Subscription? _feed;

    /// <summary>How many nicknames somebody on this node watches (for tests).</summary>
    public int WatchedCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    public void Watch(IMonitorWatcher watcher, string nick)
    {
        lock (_gate)
        {
            if (!_watchers.TryGetValue(nick, out var watching))
            {
                watching = [];
                _watchers.Add(nick, watching);
            }

            watching.Add(watcher);
            if (_feed is null)
            {
                // Subscribed before the caller answers, so a user who arrives right after MONITOR + is not missed; told
                // inline, so a watcher hears of a change before its own next answer (its PONG, say).
                _feed = events.Listen(Relay);
            }
        }
    }

    public void Unwatch(IMonitorWatcher watcher, string nick)
    {
        lock (_gate)
        {
            if (_watchers.TryGetValue(nick, out var watching) && watching.Remove(watcher) && watching.Count == 0)
            {
                _watchers.Remove(nick);
                StopReadingIfNobodyWatches();
            }
        }
    }

    private void StopReadingIfNobodyWatches()
    {
        if (_watchers.Count == 0 && _feed is not null)
        {
            _feed.Dispose();
            _feed = null;
        }
    }

    private void Relay(ChatEvent happened)
    {
        switch (happened.Kind)
        {
            case ChatEventKind.Join when happened.Nick is { } nick:
                Tell(nick, online: true);
                break;
            case ChatEventKind.Leave when happened.Nick is { } nick:
                Tell(nick, online: false);
                break;
            case ChatEventKind.Nick when happened is { Nick: { } before, NewNick: { } after }
                && !string.Equals(before, after, StringComparison.OrdinalIgnoreCase):
                Tell(before, online: false);
                Tell(after, online: true);
                break;
        }
    }

    /// <summary>Who watches <paramref name="nick"/> on this node, now.</summary>
    public IMonitorWatcher[] WatchersOf(string nick)
    {
        lock (_gate)
        {
            return _watchers.TryGetValue(nick, out var watching) ? [.. watching] : [];
        }
    }

    private void Tell(string nick, bool online)
    {
        IMonitorWatcher[] told;
        lock (_gate)
        {
            if (!_watchers.TryGetValue(nick, out var watching))
            {
                return;
            }

            told = [.. watching];
        }

        foreach (var watcher in told)
        {
            if (online)
            {
                watcher.MonitoredOnline(nick);
            }
            else
            {
                watcher.MonitoredOffline(nick);
            }
        }
    }
}
