using System.Globalization;
using CatChat.Chat;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>MONITOR (IRCv3): a client's list of nicknames it is told about as they come online and go offline.</summary>
internal sealed partial class IrcSession : IMonitorWatcher
{
    // Room for the numeric's prefix and the client's own nick within IRC's 512 bytes.
    private const int MaxListBytes = 400;

    // Owned by the read loop; the node-wide index in IrcMonitors tells this session about changes from other threads.
    private readonly HashSet<string> _monitoring = new(StringComparer.OrdinalIgnoreCase);

    public void MonitoredOnline(string nick) =>
        SendNumeric(IrcNumerics.MonOnline, FindSomeone(nick)?.Identity.ToString() ?? nick);

    public void MonitoredOffline(string nick) => SendNumeric(IrcNumerics.MonOffline, nick);

    public ChatMember? ExtendedMonitorRecipient => Has(IrcCapabilities.ExtendedMonitor) ? Member : null;

    private void OnMonitor(IrcMessage message)
    {
        var action = message[0];
        var targets = (message[1] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (action?.ToUpperInvariant())
        {
            case "+" when targets.Length > 0:
                AddMonitored(targets);
                break;
            case "-" when targets.Length > 0:
                foreach (var nick in targets)
                {
                    if (_monitoring.Remove(nick))
                    {
                        _server.Monitors.Unwatch(this, nick);
                    }
                }

                break;
            case "C":
                StopMonitoring();
                break;
            case "L":
                SendInLists(IrcNumerics.MonList, _monitoring);
                SendNumeric(IrcNumerics.EndOfMonList, "End of MONITOR list");
                break;
            case "S":
                SendMonitorStatus(_monitoring);
                break;
            default:
                SendNumeric(IrcNumerics.NeedMoreParams, "MONITOR", "Not enough parameters");
                break;
        }
    }

    private void AddMonitored(string[] targets)
    {
        var added = new List<string>();
        for (var i = 0; i < targets.Length; i++)
        {
            var nick = targets[i];
            if (!Chat.NicknamePolicy.IsWellFormed(nick))
            {
                continue; // Masks and invalid names are not watched: only a nickname can be (no stalking by host).
            }

            if (_monitoring.Count >= IrcMonitors.MaxPerClient && !_monitoring.Contains(nick))
            {
                SendNumeric(IrcNumerics.MonListFull, IrcMonitors.MaxPerClient.ToString(CultureInfo.InvariantCulture), string.Join(',', targets[i..]), "Monitor list is full.");
                break;
            }

            if (_monitoring.Add(nick))
            {
                _server.Monitors.Watch(this, nick);
            }

            added.Add(nick);
        }

        SendMonitorStatus(added);
    }

    private void SendMonitorStatus(IEnumerable<string> nicks)
    {
        var online = new List<string>();
        var offline = new List<string>();
        foreach (var nick in nicks)
        {
            if (FindSomeone(nick) is { } who)
            {
                online.Add(who.Identity.ToString());
            }
            else
            {
                offline.Add(nick);
            }
        }

        SendInLists(IrcNumerics.MonOnline, online);
        SendInLists(IrcNumerics.MonOffline, offline);
    }

    // Comma-separated lists, as many numerics as it takes to keep each line inside IRC's limit.
    private void SendInLists(string numeric, IEnumerable<string> items)
    {
        var list = new System.Text.StringBuilder();
        foreach (var item in items)
        {
            if (list.Length > 0 && list.Length + 1 + item.Length > MaxListBytes)
            {
                SendNumeric(numeric, list.ToString());
                list.Clear();
            }

            list.Append(list.Length > 0 ? "," : string.Empty).Append(item);
        }

        if (list.Length > 0)
        {
            SendNumeric(numeric, list.ToString());
        }
    }

    // MONITOR C, and the end of the connection: nothing is watched for this client any more.
    private void StopMonitoring()
    {
        foreach (var nick in _monitoring)
        {
            _server.Monitors.Unwatch(this, nick);
        }

        _monitoring.Clear();
    }
}
