using CatChat.Chat;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// IRCv3 away-notify, SETNAME and extended-monitor: a member's away state and real name, pushed to the clients that
/// asked (the renderer leaves out those that did not) among those who share a room with them or MONITOR them, on this
/// node.
/// </summary>
internal sealed partial class IrcSession
{
    /// <summary>Longest away message kept (ISUPPORT AWAYLEN).</summary>
    private const int MaxAwayLength = 200;

    /// <summary>Longest real name SETNAME takes.</summary>
    private const int MaxRealNameLength = 200;

    private void OnSetName(IrcMessage message)
    {
        if (message.Count == 0 || message[0]!.Length == 0)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "SETNAME", "Not enough parameters");
            return;
        }

        var name = IrcFormatting.Strip(message[0]!).Trim();
        if (name.Length == 0 || name.Length > MaxRealNameLength)
        {
            Send(IrcLine.Build(null, ServerName, "FAIL", trailingLast: true, "SETNAME", "INVALID_REALNAME", "Real name is empty or too long"));
            return;
        }

        Member.RealName = name;
        var delivery = new Delivery(DeliveryKind.RealNameChanged, string.Empty) { Nick = Member.Nick, From = Member.Identity, Text = name, At = Time.GetUtcNow() };
        Member.Deliver(delivery); // The confirmation, to a client that took the capability.
        TellThoseWhoSeeMe(delivery);
    }

    private Delivery AwayDelivery() =>
        new(DeliveryKind.AwayChanged, string.Empty) { Nick = Member.Nick, From = Member.Identity, Text = Member.AwayMessage, At = Time.GetUtcNow() };

    // Someone away who joins is announced as away to the room, after the JOIN.
    private void TellRoomImAway(Room room)
    {
        var delivery = AwayDelivery();
        foreach (var member in room.Members.Snapshot())
        {
            if (!ReferenceEquals(member, Member))
            {
                member.Deliver(delivery);
            }
        }
    }

    // Each once: those in a room with this member, and those who watch them with extended-monitor.
    private void TellThoseWhoSeeMe(Delivery delivery)
    {
        var told = new HashSet<ChatMember>(ReferenceEqualityComparer.Instance) { Member };
        foreach (var room in Member.RoomArray)
        {
            foreach (var member in room.Members.Snapshot())
            {
                if (told.Add(member))
                {
                    member.Deliver(delivery);
                }
            }
        }

        foreach (var watcher in _server.Monitors.WatchersOf(Member.Nick))
        {
            if (watcher.ExtendedMonitorRecipient is { } member && told.Add(member))
            {
                member.Deliver(delivery);
            }
        }
    }
}
