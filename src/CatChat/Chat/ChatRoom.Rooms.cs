using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>
/// The rooms: every login starts in the default one; a member may join others and part any, and plain lines go to
/// the current one. A room is made by its first join and gone when its last member on this node leaves. Room
/// membership is changed only under the chat's lock; broadcasts read a member list's snapshot without it.
/// </summary>
public sealed partial class ChatRoom
{
    // Topics outlive their rooms (a room ends with its last member, and its topic is there when it is made again);
    // bounded, so making rooms with topics cannot grow this without end.
    private const int MaxRememberedTopics = 100_000;

    private readonly Dictionary<string, Room> _rooms = new(RoomName.Comparer);
    private readonly Dictionary<string, string> _topics = new(RoomName.Comparer);

    /// <summary>The default room's name and the limits on rooms (set at start, and again when the settings file changes).</summary>
    public RoomLimits RoomLimits { get; set; } = RoomLimits.Default;

    /// <summary>The rooms with a member on this node now, the default one first.</summary>
    public IReadOnlyList<Room> Rooms
    {
        get
        {
            lock (_gate)
            {
                return [.. _rooms.Values.OrderByDescending(room => room.IsDefault).ThenBy(room => room.Name, RoomName.Comparer)];
            }
        }
    }

    public Room? FindRoom(string name)
    {
        lock (_gate)
        {
            return _rooms.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// Puts <paramref name="member"/> in the room and makes it their current one; null on success, else why not.
    /// <paramref name="already"/> says the member was in it before (it only became current). Every node learns of the
    /// change; with <paramref name="announce"/>, the room's members are told too.
    /// </summary>
    public string? JoinRoom(ChatMember member, string name, bool announce, out Room? room, out bool already, string? key = null)
    {
        room = null;
        already = false;
        if (RoomName.Validate(name) is { } invalid)
        {
            return $"Cannot join {name}: {invalid}.";
        }

        var limits = RoomLimits;
        lock (_gate)
        {
            if (!_byNick.TryGetValue(member.Nick, out var present) || !ReferenceEquals(present, member))
            {
                return "You are not in the chat any more.";
            }

            var rooms = member.RoomArray;
            room = Array.Find(rooms, joined => RoomName.Comparer.Equals(joined.Name, name));
            if (room is not null)
            {
                already = true;
                member.MakeCurrent(room);
                return null;
            }

            if (rooms.Length >= limits.RoomsPerUser)
            {
                return $"Cannot join {name}: you are in {rooms.Length} rooms, the most one may be in. /part one first.";
            }

            if (!_rooms.TryGetValue(name, out room))
            {
                // The default room is not counted: it is there for every login.
                var others = _rooms.Count - (_rooms.ContainsKey(limits.DefaultRoom) ? 1 : 0);
                if (others >= limits.RoomsPerServer)
                {
                    return $"Cannot join {name}: the server has {others} rooms, the most it may have. Join one of them.";
                }

                // A room new to this node may have members elsewhere, and with them the modes other nodes set.
                room = NewRoomLocked(KnownSpelling(name));
            }

            // An invitation lets one in past an operator's +l (members on every node), never past the server's own
            // limit (members here).
            var everywhere = room.Count + (Backplane.State == BackplaneState.Whole ? Cluster.CountIn(room.Name) : 0);
            var refusal = (limits.MembersPerRoom > 0 && room.Count >= limits.MembersPerRoom) || (room.Limit > 0 && everywhere >= room.Limit && !room.IsInvited(member.Nick))
                ? $"Cannot join {room.Name}: it is full ({Math.Max(room.Count, everywhere)} members)."
                : RoomRefusal(room, member, key);
            if (refusal is not null)
            {
                if (room.Count == 0)
                {
                    CloseRoomLocked(room);
                }

                return refusal;
            }

            // Whoever makes a room that has nobody anywhere is its first operator (IRC's @). Not the default room:
            // every login is put there, so its first joiner could otherwise ban, silence or kick everyone who comes.
            if (!room.IsDefault && room.Count == 0 && (!Backplane.IsClustered || Cluster.CountIn(room.Name) == 0))
            {
                room.SetOperator(member, true);
            }

            room.Members.Add(member);
            member.RoomArray = rooms.Length == 0 ? room.Alone : [.. rooms, room];
            member.MakeCurrent(room);
        }

        var notice = RoomJoinNotice(member.Nick, room.Name);
        if (announce)
        {
            BroadcastTo(room, RoomJoinDelivery(notice, member.Identity, room), member);
        }

        Publish(ChatEventKind.RoomJoin, nick: member.Nick, room: room.Name);
        Backplane.MemberUpdated(member);
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.RoomJoin)
        {
            ConnectionId = member.ConnectionId,
            Nick = member.Nick,
            Room = room.Name,
            Text = announce ? notice : null,
        });
        if (room.IsOperator(member))
        {
            PublishStatus(room, member); // The room's first operator, to be shown as one everywhere.
        }

        return null;
    }

    /// <summary>
    /// Takes <paramref name="member"/> out of the named room (their current one when <paramref name="name"/> is null);
    /// null on success, else why not. Their current room becomes the one they joined last of those left. Every node
    /// learns of the change; with <paramref name="announce"/>, the room's members are told too, and why.
    /// </summary>
    public string? PartRoom(ChatMember member, string? name, string reason, bool announce, out Room? room) =>
        PartRoom(member, name, reason, announce ? (nick, parted) => RoomPartNotice(nick, parted, reason) : null, removedBy: null, out room);

    private string? PartRoom(ChatMember member, string? name, string reason, Func<string, string, string>? notice, string? removedBy, out Room? room)
    {
        lock (_gate)
        {
            var rooms = member.RoomArray;
            room = name is null ? member.CurrentRoom : Array.Find(rooms, joined => RoomName.Comparer.Equals(joined.Name, name));
            if (room is null)
            {
                return name is null ? "You are in no room." : $"You are not in {name}.";
            }

            var parted = room;
            RemoveFromRoomLocked(parted, member);
            var left = Array.FindAll(rooms, joined => !ReferenceEquals(joined, parted));
            member.RoomArray = left.Length == 1 ? left[0].Alone : left;
            if (ReferenceEquals(member.CurrentRoom, parted))
            {
                member.MakeCurrent(left.Length > 0 ? left[^1] : null);
            }
        }

        var told = notice?.Invoke(member.Nick, room.Name);
        if (told is not null)
        {
            BroadcastTo(room, RoomPartDelivery(told, member.Identity, room, reason, removedBy), member);
        }

        Publish(ChatEventKind.RoomPart, nick: member.Nick, reason: reason, room: room.Name);
        Backplane.MemberUpdated(member);
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.RoomPart)
        {
            ConnectionId = member.ConnectionId,
            Nick = member.Nick,
            Room = room.Name,
            Reason = reason,
            Text = told,
            By = removedBy,
        });
        return null;
    }

    // What an operator's modes (IRC's +b and +e, +i and +I, +k) say about someone joining; null: let them in. An invitation is used up.
    private static string? RoomRefusal(Room room, ChatMember member, string? key)
    {
        var invited = room.TakeInvitation(member.Nick);
        if (!invited && room.IsBanned(member.Identity.ToString()))
        {
            return $"Cannot join {room.Name}: you are banned from it.";
        }

        if (!invited && room.InviteOnly && !room.InviteExceptions.Matches(member.Identity.ToString()))
        {
            return $"Cannot join {room.Name}: it is invite-only; ask one of its members to /invite you.";
        }

        if (room.Key is { } needed && !string.Equals(needed, key, StringComparison.Ordinal))
        {
            return $"Cannot join {room.Name}: it needs a key (/join {room.Name} KEY).";
        }

        return null;
    }

    private static string RoomJoinNotice(string nick, string room) => $"{nick} has joined {room}";

    private static string RoomPartNotice(string nick, string room, string reason) =>
        $"{nick} has left {room}" + (reason.Length > 0 ? $" ({reason})" : string.Empty);

    private static string RemovedNotice(string nick, string room, string reason) => $"{nick} was removed from {room} ({reason})";

    private static Delivery RoomJoinDelivery(string notice, Identity who, Room room) =>
        new(DeliveryKind.RoomJoined, ChatLine.Notice(notice)) { Nick = who.Nick, From = who, Room = room, RoomName = room.Name };

    // A removal by an administrator names who did it (an IRC KICK), and the reason they gave without "removed: ".
    private Delivery RoomPartDelivery(string notice, Identity who, Room room, string reason, string? removedBy) =>
        removedBy is null
            ? new(DeliveryKind.RoomParted, ChatLine.Notice(notice)) { Nick = who.Nick, From = who, Room = room, RoomName = room.Name, Text = reason }
            : new(DeliveryKind.RoomRemoved, ChatLine.Notice(notice))
            {
                Nick = who.Nick,
                From = who,
                Room = room,
                RoomName = room.Name,
                Text = reason.StartsWith(RemovedReasonPrefix, StringComparison.Ordinal) ? reason[RemovedReasonPrefix.Length..] : reason,
                Target = removedBy,
                Actor = ActorIdentity(removedBy),
            };

    private const string RemovedReasonPrefix = "removed: ";

    // Who set a topic or removed someone, as IRC clients see them: a member of any node, or (an administrator) the server itself.
    private Identity? ActorIdentity(string by) =>
        Find(by)?.Identity ?? (Backplane.IsClustered ? Cluster.Find(by)?.Identity : null);

    // Another node's member joined or left a room: counted, and (when it was told) its members here are told too,
    // in the words the member's node chose.
    private void ApplyRemoteRoomChange(ClusterMessage message)
    {
        var joined = message.Kind == ClusterMessageKind.RoomJoin;
        Cluster.ChangeRoom(message.Node, message.ConnectionId!, message.Room!, joined);
        Publish(joined ? ChatEventKind.RoomJoin : ChatEventKind.RoomPart, nick: message.Nick, reason: joined ? null : message.Reason, room: message.Room);
        if (message.Text is { } notice && FindRoom(message.Room!) is { } room)
        {
            var who = RemoteIdentity(message.Nick!);
            BroadcastTo(room, joined
                ? RoomJoinDelivery(notice, who, room)
                : RoomPartDelivery(notice, who, room, message.Reason ?? string.Empty, message.Reason?.StartsWith(RemovedReasonPrefix, StringComparison.Ordinal) == true ? message.By ?? "admin" : null));
        }
    }

    /// <summary>Takes a member of this node out of a room, telling them and the room why.</summary>
    public void RemoveFromRoom(ChatMember member, Room room, string reason, string by)
    {
        if (PartRoom(member, room.Name, RemovedReasonPrefix + reason, (nick, name) => RemovedNotice(nick, name, reason), removedBy: by, out var parted) is not null || parted is null)
        {
            return;
        }

        member.Deliver(new Delivery(DeliveryKind.RoomRemoved, ChatLine.Notice($"You were removed from {parted.Name}: {reason}"))
        {
            Nick = member.Nick,
            From = member.Identity,
            RoomName = parted.Name,
            Text = reason,
            Target = by,
            Actor = ActorIdentity(by),
        });
        Publish(ChatEventKind.Kick, nick: member.Nick, reason: reason, by: by, room: parted.Name);
    }

    // Every login's first room. Under the lock.
    private void EnterDefaultRoomLocked(ChatMember member)
    {
        var name = RoomLimits.DefaultRoom;
        if (!_rooms.TryGetValue(name, out var room))
        {
            room = NewRoomLocked(name);
        }

        room.Members.Add(member);
        member.RoomArray = room.Alone;
        member.MakeCurrent(room);
    }

    // Leaving the chat: out of every room. The member keeps its list, so its departure is told to the rooms it was in.
    // Under the lock.
    private void LeaveAllRoomsLocked(ChatMember member)
    {
        foreach (var room in member.RoomArray)
        {
            RemoveFromRoomLocked(room, member);
        }
    }

    private Room NewRoomLocked(string name)
    {
        var isDefault = RoomName.Comparer.Equals(name, RoomLimits.DefaultRoom);
        var room = new Room(name, isDefault, isDefault ? Recent : new RecentHistory(RoomLimits.RecentLines))
        {
            Topic = _topics.GetValueOrDefault(name) ?? string.Empty,
            CreatedAt = _time.GetUtcNow(),
        };
        _rooms.Add(name, room);
        OpenRoomModesLocked(room);
        TakeInvitationsLocked(room);

        // The default room's lines ride the backplane's own channel: every node hears them (see docs/scaling.md).
        if (!isDefault)
        {
            Backplane.RoomOpened(name);
        }

        return room;
    }

    private void RemoveFromRoomLocked(Room room, ChatMember member)
    {
        room.SetOperator(member, false);
        if (room.Members.Remove(member) == 0)
        {
            CloseRoomLocked(room);
        }
    }

    private void CloseRoomLocked(Room room)
    {
        _rooms.Remove(room.Name);
        if (!room.IsDefault)
        {
            Backplane.RoomClosed(room.Name);
        }
    }

    /// <summary>The default room as it is now on this node, if anyone is in it.</summary>
    private Room? DefaultRoom => FindRoom(RoomLimits.DefaultRoom);

    /// <summary>
    /// Tells a room's members here but <paramref name="except"/> what a delivery says (in plain text with the room's
    /// name before it to those in it who are looking at another). Never waits for any recipient.
    /// </summary>
    private static int BroadcastTo(Room room, Delivery delivery, ChatMember? except = null)
    {
        using var batch = DeliveryBatch.Begin();
        var recipients = 0;
        foreach (var member in room.Members.Snapshot())
        {
            if (ReferenceEquals(member, except))
            {
                continue;
            }

            member.Deliver(delivery);
            recipients++;
        }

        return recipients;
    }

    /// <summary>Tells everyone who shares a room with <paramref name="member"/> (once each), but them.</summary>
    private void NoticeToRoomsOf(ChatMember member, Delivery delivery, bool includingThem = false)
    {
        var rooms = member.RoomArray;
        var except = includingThem ? null : member;
        if (rooms.Length == 1)
        {
            Broadcast(rooms[0].Members.Snapshot(), delivery, except);
            return;
        }

        var everyone = new HashSet<ChatMember>(ReferenceEqualityComparer.Instance);
        foreach (var room in rooms)
        {
            everyone.UnionWith(room.Members.Snapshot());
        }

        if (includingThem)
        {
            everyone.Add(member);
        }

        Broadcast([.. everyone], delivery, except);
    }
}
