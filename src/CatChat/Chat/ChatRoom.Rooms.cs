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
    /// <paramref name="already"/> says the member was in it before (it only became current).
    /// </summary>
    public string? JoinRoom(ChatMember member, string name, out Room? room, out bool already)
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

                room = NewRoomLocked(name);
            }
            else if (limits.MembersPerRoom > 0 && room.Count >= limits.MembersPerRoom)
            {
                return $"Cannot join {room.Name}: it is full ({room.Count} members).";
            }

            room.Members.Add(member);
            member.RoomArray = rooms.Length == 0 ? room.Alone : [.. rooms, room];
            member.MakeCurrent(room);
        }

        return null;
    }

    /// <summary>
    /// Takes <paramref name="member"/> out of the named room (their current one when <paramref name="name"/> is null);
    /// null on success, else why not. Their current room becomes the one they joined last of those left.
    /// </summary>
    public string? PartRoom(ChatMember member, string? name, out Room? room)
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

        return null;
    }

    /// <summary>Tells the room's other members, on every node, that <paramref name="member"/> has joined it.</summary>
    public void AnnounceRoomJoin(ChatMember member, Room room)
    {
        BroadcastTo(room, RoomJoinNotice(member.Nick, room.Name), member);
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.RoomJoin) { Nick = member.Nick, Room = room.Name });
    }

    /// <summary>Tells the room's members, on every node, that <paramref name="member"/> has left it, and why.</summary>
    public void AnnounceRoomPart(ChatMember member, Room room, string reason)
    {
        BroadcastTo(room, RoomPartNotice(member.Nick, room.Name, reason), member);
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.RoomPart) { Nick = member.Nick, Room = room.Name, Reason = reason });
    }

    private static string RoomJoinNotice(string nick, string room) => ChatLine.Notice($"{nick} has joined {room}");

    private static string RoomPartNotice(string nick, string room, string reason) =>
        ChatLine.Notice($"{nick} has left {room}" + (reason.Length > 0 ? $" ({reason})" : string.Empty));

    // Another node's member joined or left a room: its members here are told (a room with none here, nobody).
    private void ApplyRemoteRoomChange(ClusterMessage message)
    {
        if (FindRoom(message.Room!) is not { } room)
        {
            return;
        }

        BroadcastTo(room, message.Kind == ClusterMessageKind.RoomJoin
            ? RoomJoinNotice(message.Nick!, room.Name)
            : RoomPartNotice(message.Nick!, room.Name, message.Reason ?? string.Empty));
    }

    /// <summary>Sets a room's topic and tells its members who set it (a nickname, or an administrator's name).</summary>
    public void SetTopic(Room room, string topic, string by)
    {
        lock (_gate)
        {
            room.Topic = topic;
            RememberTopicLocked(room.Name, topic);
        }

        BroadcastTo(room, ChatLine.Notice($"{by} set the topic of {room.Name}: {topic}"));
        Publish(ChatEventKind.Topic, text: topic, by: by, room: room.Name);
    }

    /// <summary>An announcement from an administrator to one room's members, on every node.</summary>
    public void AnnounceToRoom(Room room, string text, string by)
    {
        BroadcastTo(room, ChatLine.Notice("Announcement: " + text));
        Publish(ChatEventKind.Announce, text: text, by: by, room: room.Name);
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.RoomAnnounce) { Text = text, By = by, Room = room.Name });
    }

    /// <summary>Takes a member of this node out of a room, telling them and the room why.</summary>
    public void RemoveFromRoom(ChatMember member, Room room, string reason, string by)
    {
        if (PartRoom(member, room.Name, out var parted) is not null || parted is null)
        {
            return;
        }

        member.Send(ChatLine.Notice($"You were removed from {parted.Name}: {reason}"));
        BroadcastTo(parted, ChatLine.Notice($"{member.Nick} was removed from {parted.Name} ({reason})"));
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.RoomPart) { Nick = member.Nick, Room = parted.Name, Reason = "removed: " + reason });
        Publish(ChatEventKind.Kick, nick: member.Nick, reason: reason, by: by, room: parted.Name);
    }

    /// <summary>Puts back a topic stored before a restart; nobody is told.</summary>
    public void RestoreTopic(string roomName, string topic)
    {
        lock (_gate)
        {
            RememberTopicLocked(roomName, topic);
            if (_rooms.TryGetValue(roomName, out var room))
            {
                room.Topic = topic;
            }
        }
    }

    private void RememberTopicLocked(string roomName, string topic)
    {
        if (_topics.Count < MaxRememberedTopics || _topics.ContainsKey(roomName))
        {
            _topics[roomName] = topic;
        }
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
        };
        _rooms.Add(name, room);
        return room;
    }

    private void RemoveFromRoomLocked(Room room, ChatMember member)
    {
        if (room.Members.Remove(member) == 0)
        {
            _rooms.Remove(room.Name);
        }
    }

    /// <summary>The default room as it is now on this node, if anyone is in it.</summary>
    private Room? DefaultRoom => FindRoom(RoomLimits.DefaultRoom);

    /// <summary>
    /// One line to a room's members here but <paramref name="except"/>: as it is to those looking at the room, with the
    /// room's name before it to those in it who are looking at another. Never waits for any recipient.
    /// </summary>
    private int BroadcastTo(Room room, string line, ChatMember? except = null)
    {
        var encoded = LineEncoder.Encode(line);
        byte[]? named = null;
        var recipients = 0;
        foreach (var member in room.Members.Snapshot())
        {
            if (ReferenceEquals(member, except))
            {
                continue;
            }

            member.Deliver(ReferenceEquals(member.CurrentRoom, room) ? encoded : named ??= LineEncoder.Encode(ChatLine.InRoom(room.Name, line)));
            recipients++;
        }

        return recipients;
    }

    /// <summary>A notice to everyone who shares a room with <paramref name="member"/> (once each), but them.</summary>
    private void NoticeToRoomsOf(ChatMember member, string notice, bool includingThem = false)
    {
        var rooms = member.RoomArray;
        var except = includingThem ? null : member;
        if (rooms.Length == 1)
        {
            Broadcast(rooms[0].Members.Snapshot(), ChatLine.Notice(notice), except);
            return;
        }

        var everyone = new HashSet<ChatMember>(ReferenceEqualityComparer.Instance);
        foreach (var room in rooms)
        {
            everyone.UnionWith(room.Members.Snapshot());
        }

        Broadcast([.. everyone], ChatLine.Notice(notice), except);
    }
}

/// <summary>The default room and the limits on rooms.</summary>
/// <param name="MembersPerRoom">0: no limit.</param>
/// <param name="RecentLines">Lines a room other than the default one keeps for <c>/history</c>.</param>
public sealed record RoomLimits(string DefaultRoom, int RoomsPerUser, int RoomsPerServer, int MembersPerRoom, int RecentLines = 100)
{
    public static RoomLimits Default { get; } = new("#lobby", 20, 10_000, 0);
}
