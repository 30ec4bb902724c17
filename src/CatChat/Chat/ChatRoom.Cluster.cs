using System.Globalization;
using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.Chat;

/// <summary>
/// The room's side of a cluster: what other nodes report is delivered here to this node's users, who
/// count, and the notices for a split, a reunion and a lost node. Lines from other nodes go to the
/// recent lines but not to this node's database: the node that received a line stores it.
/// </summary>
public sealed partial class ChatRoom
{
    private const int MaxNamesInNotice = 20;

    // The multiline message each other node is sending the lines of (ApplyRemote's one loop alone touches it).
    private readonly Dictionary<string, MultilineMessage> _remoteMultiline = new(StringComparer.Ordinal);

    /// <summary>The link to the other nodes; <see cref="NoBackplane"/> for a single node.</summary>
    public IBackplane Backplane { get; }

    /// <summary>The other nodes and their users.</summary>
    public ClusterView Cluster => Backplane.Cluster;

    /// <summary>Users on every node: this one's, and (unless split) the others' as far as this node knows.</summary>
    public int ClusterCount => Count + (Backplane.State == BackplaneState.Whole ? Cluster.Count : 0);

    /// <summary>Applies what another node reports. Called by the backplane's one receiving loop, in the order the node sent it.</summary>
    public void ApplyRemote(ClusterMessage message)
    {
        switch (message.Kind)
        {
            case ClusterMessageKind.Say or ClusterMessageKind.RoomSay:
                DeliverRemote(message.Room, HistoryKind.Message, message.Nick!, message.Text!, message.MessageId, RemoteMultiline(message));
                break;
            case ClusterMessageKind.Act or ClusterMessageKind.RoomAct:
                DeliverRemote(message.Room, HistoryKind.Action, message.Nick!, message.Text!, message.MessageId);
                break;
            case ClusterMessageKind.Redact or ClusterMessageKind.RoomRedact:
                ApplyRemoteRedaction(message);
                break;
            case ClusterMessageKind.Join:
                var joined = new RemoteMember(
                    message.Node, message.NodeName, message.ConnectionId!, message.Nick!, message.Address ?? string.Empty, message.Since ?? _time.GetUtcNow(),
                    message.Rooms ?? [RoomLimits.DefaultRoom])
                {
                    Door = message.Door ?? "netcat",
                    User = message.User ?? "nc",
                };
                Cluster.Join(joined);

                // Without a text the member arrived quietly (not yet announced, or presence notices are off).
                if (message.Text is not null)
                {
                    NoticeFromRemote(
                        new Delivery(DeliveryKind.Arrived, ChatLine.Notice($"{message.Nick} has joined")) { Nick = joined.Nick, From = joined.Identity, Rooms = joined.Rooms },
                        joined.Rooms);
                    Publish(ChatEventKind.Join, nick: message.Nick);
                }

                break;
            case ClusterMessageKind.Leave:
                var left = Cluster.Leave(message.Node, message.ConnectionId!);
                if (left is not null)
                {
                    Former.Add(left, left.Nick, _time.GetUtcNow());
                }
                if (message.Text is not null)
                {
                    var leftRooms = left?.Rooms ?? [RoomLimits.DefaultRoom];
                    NoticeFromRemote(
                        new Delivery(DeliveryKind.Departed, ChatLine.Notice(message.Text))
                        {
                            Nick = message.Nick,
                            From = left?.Identity ?? new Identity(message.Nick!, "nc", "netcat"),
                            Text = message.Reason ?? string.Empty,
                            Rooms = leftRooms,
                        },
                        leftRooms);
                    Publish(ChatEventKind.Leave, nick: left?.Nick ?? message.Nick, reason: message.Reason);
                }

                break;
            case ClusterMessageKind.Nick:
                if (Cluster.Rename(message.Node, message.ConnectionId!, message.NewNick!) is { } renamed)
                {
                    Former.Add(renamed, message.Nick!, _time.GetUtcNow());
                    NoticeFromRemote(
                        new Delivery(DeliveryKind.Renamed, ChatLine.Notice($"{message.Nick} is now known as {message.NewNick}"))
                        {
                            Nick = message.Nick,
                            From = renamed.Identity with { Nick = message.Nick! },
                            Text = message.NewNick,
                            Rooms = renamed.Rooms,
                        },
                        renamed.Rooms);
                    Publish(ChatEventKind.Nick, nick: message.Nick, newNick: message.NewNick);
                }

                break;
            case ClusterMessageKind.RoomJoin or ClusterMessageKind.RoomPart:
                ApplyRemoteRoomChange(message);
                break;
            case ClusterMessageKind.RoomModes:
                ApplyRemoteModes(message);
                break;
            case ClusterMessageKind.ModesWanted:
                PublishRoomModes();
                break;
            case ClusterMessageKind.Topic:
                ApplyTopic(message.Room!, message.Text!, message.By!);
                break;
            case ClusterMessageKind.RoomAnnounce:
                if (FindRoom(message.Room!) is { } announced)
                {
                    BroadcastTo(announced, AnnouncementDelivery(message.Text!, announced));
                }

                Publish(ChatEventKind.Announce, text: message.Text, by: message.By, room: message.Room);
                break;
            case ClusterMessageKind.Announce:
                NoticeFromRemote(AnnouncementDelivery(message.Text!, room: null), rooms: null);
                Publish(ChatEventKind.Announce, text: message.Text, by: message.By);
                break;
            case ClusterMessageKind.Banner:
                if (BannerText.TryParse(string.Join('\n', message.Lines!), out _) is { } banner)
                {
                    ReplaceBanner(banner, message.By);
                }

                break;
            case ClusterMessageKind.Private when message.Target == Backplane.NodeId:
                if (Find(message.To!) is { } recipient)
                {
                    recipient.Deliver(PrivateDelivery(RemoteIdentity(message.Nick!), message.To!, message.Text!, id: message.MessageId));
                }
                else
                {
                    // Gone (or renamed) while the message travelled: its sender was told it was sent, so tell them it was not.
                    Backplane.Publish(new ClusterMessage(ClusterMessageKind.Undelivered) { Nick = message.To, To = message.Nick, Target = message.Node });
                }

                break;
            case ClusterMessageKind.RoomStatus:
                ApplyRemoteStatus(message);
                break;
            case ClusterMessageKind.SetStatus when message.Target == Backplane.NodeId:
                ApplySetStatus(message);
                break;
            case ClusterMessageKind.Invite when message.Target == Backplane.NodeId:
                ApplyRemoteInvite(message);
                break;
            case ClusterMessageKind.Undelivered when message.Target == Backplane.NodeId:
                Find(message.To!)?.Deliver(new Delivery(DeliveryKind.Notice, ChatLine.Error(
                    $"No such nickname: {message.Nick}. Your private message did not reach them: they left or changed nickname before it arrived.")));
                break;
            case ClusterMessageKind.Kick when message.Target == Backplane.NodeId:
                if (Find(message.Nick!) is not { } member)
                {
                    break;
                }

                if (message.Room is null)
                {
                    Kick(member, message.Reason!, message.By!);
                }
                else if (member.Rooms.FirstOrDefault(room => RoomName.Comparer.Equals(room.Name, message.Room)) is { } fromRoom)
                {
                    RemoveFromRoom(member, fromRoom, message.Reason!, message.By!);
                }

                break;
            case ClusterMessageKind.Bye:
                NodeGone(message.Node, message.NodeName, "server " + message.NodeName + " shut down");
                break;
            default:
                break; // A heartbeat, or a private message, its report or a kick for another node.
        }
    }

    /// <summary>
    /// Asks the node that holds <paramref name="member"/> to kick them (from the chat, or only from <paramref name="fromRoom"/>);
    /// false while that node cannot be reached.
    /// </summary>
    public bool KickRemote(RemoteMember member, string reason, string by, string? fromRoom = null)
    {
        if (Backplane.State != BackplaneState.Whole)
        {
            return false;
        }

        Backplane.Publish(new ClusterMessage(ClusterMessageKind.Kick) { Nick = member.Nick, Target = member.NodeId, Reason = reason, By = by, Room = fromRoom });
        return true;
    }

    /// <summary>Forgets a node and tells this node's users that its users have gone with it.</summary>
    public void NodeGone(string nodeId, string nodeName, string reason)
    {
        var gone = Cluster.RemoveNode(nodeId);
        if (gone.Count == 0)
        {
            return;
        }

        foreach (var member in gone)
        {
            Former.Add(member, member.Nick, _time.GetUtcNow());
        }

        var nicks = gone.Select(m => m.Nick).Order(StringComparer.OrdinalIgnoreCase).ToList();
        var rooms = gone.SelectMany(m => m.Rooms).Distinct(RoomName.Comparer).ToList();
        var named = string.Join(", ", nicks.Take(MaxNamesInNotice));
        var notice = nicks.Count switch
        {
            1 => $"{named} has left ({reason})",
            <= MaxNamesInNotice => $"{string.Join(", ", nicks.SkipLast(1))} and {nicks[^1]} have left ({reason})",
            _ => string.Create(CultureInfo.InvariantCulture, $"{named} and {nicks.Count - MaxNamesInNotice} others have left ({reason})"),
        };
        NoticeFromRemote(
            new Delivery(DeliveryKind.Departed, ChatLine.Notice(notice)) { Text = reason, Rooms = rooms, Departed = [.. gone.Select(member => member.Identity)] },
            rooms);
        foreach (var nick in nicks)
        {
            Publish(ChatEventKind.Leave, nick: nick, reason: reason);
        }
    }

    /// <summary>The bus is gone: tell this node's users that their lines reach only this node for now.</summary>
    public void AnnounceSplit() => Broadcast(ChatLine.Notice(
        $"The chat is split: your lines now reach only the users on this server ({Backplane.NodeName}) until the link to the other servers is back."));

    /// <summary>The bus is back: tell this node's users.</summary>
    public void AnnounceWhole() => Broadcast(ChatLine.Notice("The chat is whole again: your lines reach every server."));

    /// <summary>
    /// Another node holds the nickname this member was given while this node could not check: give the
    /// member a fresh guest nickname and tell everyone.
    /// </summary>
    public void ReplaceLostNick(ChatMember member, string lostNick)
    {
        string newNick;
        lock (_gate)
        {
            if (member.Nick != lostNick || !_byNick.TryGetValue(lostNick, out var holder) || !ReferenceEquals(holder, member))
            {
                return;
            }

            newNick = PickGuestNick();
            _byNick.Remove(lostNick);
            member.Nick = newNick;
            _byNick.Add(newNick, member);
        }

        member.Deliver(new Delivery(DeliveryKind.Notice, ChatLine.Error($"The nickname {lostNick} is in use on another server; you are now {newNick}.")));
        Backplane.MemberJoined(member);
        AnnounceRename(member, lostNick, newNick);
    }

    /// <summary>The lines of <c>/who</c>: every user of the cluster, and how many are on each node.</summary>
    public IReadOnlyList<string> Who(int maxNames)
    {
        var whole = Backplane.State == BackplaneState.Whole;
        var nicks = Members.Select(m => m.Nick)
            .Concat(whole ? Cluster.Members.Select(m => m.Nick) : [])
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var users = nicks.Count == 1 ? "user" : "users";
        var lines = new List<string> { ChatLine.Notice(string.Create(CultureInfo.InvariantCulture, $"{nicks.Count} {users} online: {NameList(nicks, maxNames)}")) };
        if (whole)
        {
            var nodes = Cluster.Nodes
                .Select(node => string.Create(CultureInfo.InvariantCulture, $"{node.Name} {node.Users}"))
                .Prepend(string.Create(CultureInfo.InvariantCulture, $"{Backplane.NodeName} {Count} (this one)"));
            lines.Add(ChatLine.Notice("By server: " + string.Join(", ", nodes)));
        }
        else if (Backplane.IsClustered)
        {
            lines.Add(ChatLine.Notice($"The chat is split: only the users on this server ({Backplane.NodeName}) are listed and reached."));
        }

        return lines;
    }

    // A line from another node goes to this node's members of its room; a room with none here costs nothing more.
    // Its text may carry IRC formatting, for IRC clients; everywhere else it goes without.
    // The multiline message a remote line belongs to: made from its first line, which carries them all, and remembered
    // per node for the lines after it (a node sends one message's lines in a row, and its messages arrive in order).
    private (MultilineMessage Message, bool Continues)? RemoteMultiline(ClusterMessage message)
    {
        if (message.Parts is { } parts)
        {
            var concat = message.ConcatParts ?? [];
            var whole = new MultilineMessage([.. parts.Select((text, i) => new MultilinePart(text, concat.Contains(i)))], notice: false, clientTags: null);
            _remoteMultiline[message.Node] = whole;
            return (whole, false);
        }

        return message.ContinuesMultiline && _remoteMultiline.TryGetValue(message.Node, out var started) ? (started, true) : null;
    }

    // A line from a node too old to send its id gets one here: it is then this node's alone.
    private void DeliverRemote(string? roomName, HistoryKind kind, string nick, string formatted, string? messageId,
        (MultilineMessage Message, bool Continues)? multiline = null)
    {
        var action = kind == HistoryKind.Action;
        var text = IrcFormatting.Strip(formatted);
        Publish(action ? ChatEventKind.Action : ChatEventKind.Message, nick: nick, text: text, room: roomName ?? RoomLimits.DefaultRoom);
        var entry = new HistoryEntry(_time.GetUtcNow(), kind, nick, text, MessageId: messageId ?? MessageIds.Next());
        if (roomName is null)
        {
            // The default room's lines are the chat's recent history even while nobody here is in it.
            Recent.Add(entry);
        }

        if ((roomName is null ? DefaultRoom : FindRoom(roomName)) is not { } room)
        {
            return;
        }

        var line = action ? ChatLine.Action(nick, text) : ChatLine.Message(nick, text);
        Metrics.LinesDeliveredTo(BroadcastTo(room, new Delivery(action ? DeliveryKind.Action : DeliveryKind.Line, line)
        {
            Nick = nick,
            From = RemoteIdentity(nick),
            Room = room,
            RoomName = room.Name,
            Text = formatted,
            At = entry.Time,
            Multiline = multiline?.Message,
            ContinuesMultiline = multiline?.Continues ?? false,
            MessageId = entry.MessageId!,
        }));
        if (!room.IsDefault)
        {
            room.Recent.Add(entry);
        }
    }

    /// <summary>Up to <paramref name="maxNames"/> of the nicknames, then how many more: "a, b and 3 more".</summary>
    public static string NameList(IReadOnlyList<string> nicks, int maxNames)
    {
        var shown = string.Join(", ", nicks.Take(maxNames));
        return nicks.Count > maxNames ? string.Create(CultureInfo.InvariantCulture, $"{shown} and {nicks.Count - maxNames} more") : shown;
    }

    // A notice about other nodes' members goes to this node's members who share a room with them (null: to everyone).
    private void NoticeFromRemote(Delivery delivery, IReadOnlyList<string>? rooms)
    {
        if (rooms is null)
        {
            Broadcast(_members.Snapshot(), delivery);
        }
        else
        {
            var everyone = new HashSet<ChatMember>(ReferenceEqualityComparer.Instance);
            foreach (var name in rooms)
            {
                if (FindRoom(name) is { } room)
                {
                    everyone.UnionWith(room.Members.Snapshot());
                }
            }

            Broadcast([.. everyone], delivery);
        }

        // The recent lines are the default room's: a notice about those elsewhere only is not among them.
        if (rooms is not null && !rooms.Contains(RoomLimits.DefaultRoom, RoomName.Comparer))
        {
            return;
        }

        Recent.Add(new HistoryEntry(_time.GetUtcNow(), HistoryKind.Notice, null, delivery.Line[ChatLine.NoticePrefix.Length..]));
    }

    // How a member of another node appears to IRC clients, as far as this node knows them.
    private Identity RemoteIdentity(string nick) => Cluster.Find(nick)?.Identity ?? new Identity(nick, "nc", "netcat");
}
