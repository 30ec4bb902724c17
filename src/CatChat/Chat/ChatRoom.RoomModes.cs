using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>
/// Room modes on every node: a change made on one node travels to the others as the room's whole set of shared modes,
/// and every node remembers the latest set of each room, so a room it makes for a member of its own while the room has
/// members elsewhere starts with them. Operators and voice stay each node's own.
/// </summary>
public sealed partial class ChatRoom
{
    // Bounded: when full, a node forgets the modes of rooms that have nobody anywhere.
    private const int MaxRememberedRoomModes = 10_000;

    private readonly Dictionary<string, RoomModes> _roomModes = new(RoomName.Comparer);

    /// <summary>
    /// Tells every node that an operator here changed <paramref name="room"/>'s shared modes (<paramref name="change"/>,
    /// as IRC's MODE shows it), so that they hold wherever the room has members.
    /// </summary>
    public void RoomModesChanged(Room room, string by, string change)
    {
        if (!Backplane.IsClustered)
        {
            return;
        }

        RoomModes modes;
        lock (_gate)
        {
            modes = StampLocked(room);
        }

        Backplane.Publish(new ClusterMessage(ClusterMessageKind.RoomModes) { Room = room.Name, By = by, Text = change, Modes = modes });
    }

    /// <summary>
    /// A room's shared modes: as they are here when it has members here, else as the cluster last set them (null when
    /// this node has heard of none).
    /// </summary>
    public RoomModes? SharedModesOf(string name)
    {
        lock (_gate)
        {
            return _rooms.TryGetValue(name, out var room) ? room.CaptureModes() : _roomModes.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// This node has joined the cluster, or rejoined it after a split: it tells the others the modes of its rooms and
    /// asks for theirs, so that changes made while it was away, or before it started, hold here too.
    /// </summary>
    public void AskForRoomModes()
    {
        PublishRoomModes();
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.ModesWanted));
    }

    // Another node's change: taken when it is newer than what this node holds, and told to the room's members here.
    private void ApplyRemoteModes(ClusterMessage message)
    {
        var modes = message.Modes! with { Node = message.Node };
        Room? room;
        lock (_gate)
        {
            if (!modes.IsNewerThan(_roomModes.GetValueOrDefault(message.Room!)))
            {
                return;
            }

            RememberModesLocked(message.Room!, modes);
            if (_rooms.TryGetValue(message.Room!, out room))
            {
                room.RestoreModes(modes, message.By ?? string.Empty, _time.GetUtcNow());
            }
        }

        if (room is not null && message.Text is { Length: > 0 } change && message.By is { Length: > 0 } by)
        {
            TellModeChange(room, by, change);
        }
    }

    // The modes of every room with a member here that has any but +n, for a node that asked (without a change: nobody
    // is told again). Rooms as they are made need no answer, so thousands of plain rooms cost no burst on the bus.
    private void PublishRoomModes()
    {
        List<(string Name, RoomModes Modes)> rooms;
        lock (_gate)
        {
            rooms = [.. _rooms.Values
                .Select(room => (room.Name, Modes: _roomModes.GetValueOrDefault(room.Name)))
                .Where(room => room.Modes is not null && !room.Modes.IsPlain)
                .Select(room => (room.Name, room.Modes!))];
        }

        foreach (var (name, modes) in rooms)
        {
            Backplane.Publish(new ClusterMessage(ClusterMessageKind.RoomModes) { Room = name, Modes = modes });
        }
    }

    // A room made here: with the modes the cluster holds for it when it has members elsewhere. A room new to the whole
    // cluster starts afresh, and says so, so that no node keeps the modes of an earlier room of that name.
    private void OpenRoomModesLocked(Room room)
    {
        if (!Backplane.IsClustered || room.IsDefault)
        {
            return;
        }

        if (Cluster.CountIn(room.Name) > 0)
        {
            if (_roomModes.TryGetValue(room.Name, out var held))
            {
                room.RestoreModes(held);
            }
        }
        else if (Backplane.State == BackplaneState.Whole)
        {
            Backplane.Publish(new ClusterMessage(ClusterMessageKind.RoomModes) { Room = room.Name, Modes = StampLocked(room) });
        }
    }

    // The room's modes now, stamped later than any version of them this node has seen, and remembered.
    private RoomModes StampLocked(Room room)
    {
        var previous = _roomModes.GetValueOrDefault(room.Name)?.Version ?? 0;
        var modes = room.CaptureModes() with
        {
            Version = Math.Max(_time.GetUtcNow().ToUnixTimeMilliseconds(), previous + 1),
            Node = Backplane.NodeId,
        };
        RememberModesLocked(room.Name, modes);
        return modes;
    }

    private void RememberModesLocked(string name, RoomModes modes)
    {
        if (_roomModes.Count >= MaxRememberedRoomModes && !_roomModes.ContainsKey(name))
        {
            // Full: forget the rooms that have nobody anywhere (a node that makes one again starts it afresh).
            foreach (var gone in _roomModes.Keys.Where(room => !_rooms.ContainsKey(room) && Cluster.CountIn(room) == 0).ToList())
            {
                _roomModes.Remove(gone);
            }
        }

        if (_roomModes.Count < MaxRememberedRoomModes || _roomModes.ContainsKey(name))
        {
            _roomModes[name] = modes;
        }
    }
}
