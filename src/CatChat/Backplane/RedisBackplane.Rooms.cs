using CatChat.Chat;
using CatChat.Protocol;
using StackExchange.Redis;

namespace CatChat.Backplane;

/// <summary>
/// Rooms' channels. A room other than the default one has a channel of its own; this node subscribes to it while
/// the room has a member here, so a line in a room with nobody here never reaches this node. The chat reports
/// rooms opening and closing under its lock; the writer loop alone subscribes and unsubscribes, in that order, and
/// puts right at each rejoin whatever a split kept it from doing.
/// </summary>
internal sealed partial class RedisBackplane
{
    private readonly Lock _roomChangesGate = new();
    private List<(string Room, bool Open)> _roomChanges = [];

    // Owned by the writer loop.
    private readonly HashSet<string> _wantedRooms = new(RoomName.Comparer);
    private readonly Dictionary<string, ChannelMessageQueue> _roomQueues = new(RoomName.Comparer);
    private readonly HashSet<string> _roomsToCheck = new(RoomName.Comparer);
    private readonly Dictionary<string, long> _roomPrev = new(RoomName.Comparer);
    private long _roomSeq;
    private int _roomSubscriptionCount;

    // Owned by the reader loop: per room, the last room sequence number heard from each node.
    private readonly Dictionary<string, Dictionary<string, long>> _roomSeen = new(RoomName.Comparer);

    public void RoomOpened(string room) => ChangeRoom(room, open: true);

    public void RoomClosed(string room) => ChangeRoom(room, open: false);

    /// <summary>The rooms whose channels this node hears now (for tests and metrics).</summary>
    internal int RoomSubscriptions => Volatile.Read(ref _roomSubscriptionCount);

    /// <summary>Whether this node's channels are sharded (SSUBSCRIBE/SPUBLISH); known once Redis was first reached.</summary>
    internal bool IsSharded => _sharded;

    // Not through the bounded queue: a change of rooms must never be dropped, however busy the writer is.
    private void ChangeRoom(string room, bool open)
    {
        lock (_roomChangesGate)
        {
            _roomChanges.Add((room, open));
        }

        _outgoing.Writer.TryWrite(default);
    }

    private static bool TravelsInItsRoom(ClusterMessageKind kind) =>
        kind is ClusterMessageKind.RoomSay or ClusterMessageKind.RoomAct or ClusterMessageKind.RoomAnnounce or ClusterMessageKind.RoomRedact;

    private RedisChannel ChannelOf(ClusterMessage message) =>
        TravelsInItsRoom(message.Kind) ? RedisNames.Room(message.Room!, _sharded) : _control;

    // A room's message counts on the node's room sequence and names the one it sent before on the same channel, if
    // that channel is still open here (else 0: a fresh start, so a receiver never mistakes the pause for a loss).
    private ClusterMessage StampRoomMessage(ClusterMessage message)
    {
        var seq = ++_roomSeq;
        var prev = _roomPrev.GetValueOrDefault(message.Room!);
        if (_wantedRooms.Contains(message.Room!))
        {
            _roomPrev[message.Room!] = seq;
        }

        return message with { Node = NodeId, NodeName = NodeName, Seq = seq, Prev = prev };
    }

    // Takes the rooms opened and closed since the last time into the writer's own sets.
    private void TakeRoomChanges()
    {
        List<(string Room, bool Open)> changes;
        lock (_roomChangesGate)
        {
            if (_roomChanges.Count == 0)
            {
                return;
            }

            changes = _roomChanges;
            _roomChanges = [];
        }

        foreach (var (room, open) in changes)
        {
            if (open)
            {
                _wantedRooms.Add(room);
            }
            else
            {
                _wantedRooms.Remove(room);
                _roomPrev.Remove(room);
            }

            _roomsToCheck.Add(room);
        }
    }

    /// <summary>After a rejoin: every room this node wants or still hears is checked.</summary>
    private void CheckEveryRoom()
    {
        _roomsToCheck.UnionWith(_wantedRooms);
        _roomsToCheck.UnionWith(_roomQueues.Keys);
    }

    /// <summary>Subscribes to the rooms wanted and not heard, and unsubscribes from those heard and not wanted, all at once.</summary>
    private async Task SyncRoomSubscriptionsAsync()
    {
        if (_roomsToCheck.Count == 0)
        {
            return;
        }

        var subscriber = _redis!.GetSubscriber();
        var subscribing = new List<(string Room, Task<ChannelMessageQueue> Queue)>();
        var pending = new List<Task>();
        foreach (var room in _roomsToCheck)
        {
            var wanted = _wantedRooms.Contains(room);
            if (wanted && !_roomQueues.ContainsKey(room))
            {
                var queue = subscriber.SubscribeAsync(RedisNames.Room(room, _sharded));
                subscribing.Add((room, queue));
                pending.Add(queue);
            }
            else if (!wanted && _roomQueues.Remove(room, out var heard))
            {
                pending.Add(heard.UnsubscribeAsync());
                _incoming.Writer.TryWrite(new Incoming(null, IncomingWork.ForgetRoom, null, room));
            }
        }

        _roomsToCheck.Clear();
        try
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        finally
        {
            foreach (var (room, queue) in subscribing)
            {
                if (queue.IsCompletedSuccessfully)
                {
                    queue.Result.OnMessage(OnMessage);
                    _roomQueues[room] = queue.Result;
                }
                else
                {
                    _roomsToCheck.Add(room); // Again at the next rejoin.
                }
            }

            Volatile.Write(ref _roomSubscriptionCount, _roomQueues.Count);
        }
    }

    // A room's line: dropped if heard before; a line missed before it is counted (nothing to read again: lines are not kept).
    private bool IsNewRoomMessage(ClusterMessage message)
    {
        if (!_roomSeen.TryGetValue(message.Room!, out var senders))
        {
            senders = new Dictionary<string, long>(StringComparer.Ordinal);
            _roomSeen.Add(message.Room!, senders);
        }

        if (senders.TryGetValue(message.Node, out var last))
        {
            if (message.Seq <= last)
            {
                Metrics.DuplicateMessage();
                return false;
            }

            if (message.Prev != 0 && message.Prev != last)
            {
                Metrics.GapDetected();
            }
        }

        senders[message.Node] = message.Seq;
        return true;
    }

    private void ForgetRoom(string room) => _roomSeen.Remove(room);
}
