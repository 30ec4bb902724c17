using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>
/// The other nodes of the cluster and their users, as this node has heard of them: kept up to date from
/// the messages the nodes send, and replaced wholesale from the shared store after a gap. Written by the
/// backplane's one receiving loop, read by any thread (<c>/who</c>, <c>/msg</c>, the API) under a lock.
/// It also counts the other nodes' members of each room, so <c>/rooms</c> need not walk every user.
/// </summary>
public sealed class ClusterView
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, NodeEntry> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RemoteMember> _byNick = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, RoomTally> _rooms = new(RoomName.Comparer);
    private int _count;

    /// <summary>Users on the other nodes.</summary>
    public int Count => Volatile.Read(ref _count);

    public RemoteMember? Find(string nick)
    {
        lock (_gate)
        {
            return _byNick.GetValueOrDefault(nick);
        }
    }

    public IReadOnlyList<RemoteMember> Members
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Values.SelectMany(node => node.Members.Values).ToList();
            }
        }
    }

    public IReadOnlyList<ClusterNode> Nodes
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Select(pair => new ClusterNode(pair.Key, pair.Value.Name, pair.Value.Members.Count, pair.Value.LastSeen, IsSelf: false))
                    .ToList();
            }
        }
    }

    /// <summary>Notes that <paramref name="seq"/> arrived from a node, and says whether anything was missed.</summary>
    public SequenceCheck Observe(string nodeId, string nodeName, long seq, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(nodeId, out var node))
            {
                _nodes.Add(nodeId, new NodeEntry(nodeName) { LastSeq = seq, LastSeen = now });
                return SequenceCheck.First;
            }

            node.LastSeen = now;
            node.Name = nodeName;
            if (node.LastSeq < 0)
            {
                // Its users were just read from the store: this message starts the sequence afresh.
                node.LastSeq = seq;
                return SequenceCheck.InOrder;
            }

            if (seq <= node.LastSeq)
            {
                return SequenceCheck.Duplicate;
            }

            var check = seq == node.LastSeq + 1 ? SequenceCheck.InOrder : SequenceCheck.Gap;
            node.LastSeq = seq;
            return check;
        }
    }

    public void Join(RemoteMember member)
    {
        lock (_gate)
        {
            var node = NodeOf(member.NodeId, member.NodeName);
            if (node.Members.Remove(member.ConnectionId, out var previous))
            {
                Unindex(previous);
            }

            node.Members[member.ConnectionId] = member;
            Index(member);
            UpdateCount();
        }
    }

    /// <summary>
    /// A member of another node joined (<paramref name="joined"/>) or left a room; returns the member as they are now,
    /// or null if this node never heard of them.
    /// </summary>
    public RemoteMember? ChangeRoom(string nodeId, string connectionId, string room, bool joined)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(nodeId, out var node) || !node.Members.TryGetValue(connectionId, out var member))
            {
                return null;
            }

            var isIn = member.Rooms.Any(name => RoomName.Comparer.Equals(name, room));
            if (isIn == joined)
            {
                return member;
            }

            Unindex(member);
            var changed = joined
                ? member with { Rooms = [.. member.Rooms, room] }
                : member with
                {
                    Rooms = Without(member.Rooms, room),
                    Operating = Without(member.Operating, room),
                    Voiced = Without(member.Voiced, room),
                };
            node.Members[connectionId] = changed;
            Index(changed);
            return changed;
        }
    }

    /// <summary>How many members of the other nodes are in a room.</summary>
    public int CountIn(string room)
    {
        lock (_gate)
        {
            return _rooms.TryGetValue(room, out var tally) ? tally.Count : 0;
        }
    }

    /// <summary>A room's name as the other nodes spell it; null when none of their members is in it.</summary>
    public string? SpellingOf(string room)
    {
        lock (_gate)
        {
            return _rooms.TryGetValue(room, out var tally) ? tally.Name : null;
        }
    }

    /// <summary>The rooms the other nodes' members are in, each with how many of them, as first spelled.</summary>
    public IReadOnlyList<(string Name, int Members)> Rooms
    {
        get
        {
            lock (_gate)
            {
                return [.. _rooms.Values.Select(tally => (tally.Name, tally.Count))];
            }
        }
    }

    /// <summary>The other nodes' members of a room.</summary>
    public IReadOnlyList<RemoteMember> MembersIn(string room)
    {
        lock (_gate)
        {
            if (!_rooms.ContainsKey(room))
            {
                return [];
            }

            return [.. _nodes.Values.SelectMany(node => node.Members.Values).Where(member => member.Rooms.Any(name => RoomName.Comparer.Equals(name, room)))];
        }
    }

    /// <summary>Removes a member; returns who it was, or null if this node never heard of them.</summary>
    public RemoteMember? Leave(string nodeId, string connectionId)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(nodeId, out var node) || !node.Members.Remove(connectionId, out var member))
            {
                return null;
            }

            Unindex(member);
            UpdateCount();
            return member;
        }
    }

    /// <summary>
    /// A member of another node is now of <paramref name="status"/> in a room they are in (<c>o</c>, <c>v</c>, both or
    /// neither); returns the member as they are now, or null if this node never heard of them in that room.
    /// </summary>
    public RemoteMember? SetStatus(string nodeId, string connectionId, string room, string status)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(nodeId, out var node) || !node.Members.TryGetValue(connectionId, out var member)
                || !member.Rooms.Contains(room, RoomName.Comparer))
            {
                return null;
            }

            var changed = member with
            {
                Operating = status.Contains('o', StringComparison.Ordinal) ? [.. Without(member.Operating, room), room] : Without(member.Operating, room),
                Voiced = status.Contains('v', StringComparison.Ordinal) ? [.. Without(member.Voiced, room), room] : Without(member.Voiced, room),
            };
            node.Members[connectionId] = changed;
            if (_byNick.TryGetValue(changed.Nick, out var indexed) && indexed.ConnectionId == connectionId && indexed.NodeId == nodeId)
            {
                _byNick[changed.Nick] = changed;
            }

            return changed;
        }
    }

    private static string[] Without(IReadOnlyList<string> rooms, string room) => [.. rooms.Where(name => !RoomName.Comparer.Equals(name, room))];

    /// <summary>Renames a member; returns the renamed member, or null if this node never heard of them.</summary>
    public RemoteMember? Rename(string nodeId, string connectionId, string newNick)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(nodeId, out var node) || !node.Members.TryGetValue(connectionId, out var member))
            {
                return null;
            }

            Unindex(member);
            var renamed = member with { Nick = newNick };
            node.Members[connectionId] = renamed;
            Index(renamed);
            return renamed;
        }
    }

    /// <summary>
    /// Replaces what is known of a node's users with what the shared store holds. The next message from it
    /// is taken as the new baseline of its sequence.
    /// </summary>
    public void ReplaceNode(string nodeId, string nodeName, IEnumerable<RemoteMember> members, DateTimeOffset now)
    {
        lock (_gate)
        {
            var node = NodeOf(nodeId, nodeName);
            foreach (var member in node.Members.Values)
            {
                Unindex(member);
            }

            node.Members.Clear();
            foreach (var member in members)
            {
                node.Members[member.ConnectionId] = member;
                Index(member);
            }

            node.LastSeq = -1;
            node.LastSeen = now;
            UpdateCount();
        }
    }

    /// <summary>Forgets a node; returns its users, who have gone with it.</summary>
    public IReadOnlyList<RemoteMember> RemoveNode(string nodeId)
    {
        lock (_gate)
        {
            if (!_nodes.Remove(nodeId, out var node))
            {
                return [];
            }

            foreach (var member in node.Members.Values)
            {
                Unindex(member);
            }

            UpdateCount();
            return node.Members.Values.ToList();
        }
    }

    /// <summary>The nodes not heard from since <paramref name="deadline"/>.</summary>
    public IReadOnlyList<ClusterNode> SilentSince(DateTimeOffset deadline)
    {
        lock (_gate)
        {
            return _nodes.Where(pair => pair.Value.LastSeen < deadline)
                .Select(pair => new ClusterNode(pair.Key, pair.Value.Name, pair.Value.Members.Count, pair.Value.LastSeen, IsSelf: false))
                .ToList();
        }
    }

    /// <summary>Counts every node as heard from now: after a split, each gets a full timeout to speak again.</summary>
    public void TouchAll(DateTimeOffset now)
    {
        lock (_gate)
        {
            foreach (var node in _nodes.Values)
            {
                node.LastSeen = now;
            }
        }
    }

    public int UsersOn(string nodeId)
    {
        lock (_gate)
        {
            return _nodes.TryGetValue(nodeId, out var node) ? node.Members.Count : 0;
        }
    }

    private NodeEntry NodeOf(string nodeId, string nodeName)
    {
        if (!_nodes.TryGetValue(nodeId, out var node))
        {
            node = new NodeEntry(nodeName);
            _nodes.Add(nodeId, node);
        }

        return node;
    }

    private void Index(RemoteMember member)
    {
        _byNick[member.Nick] = member;
        foreach (var room in member.Rooms)
        {
            if (_rooms.TryGetValue(room, out var tally))
            {
                tally.Count++;
            }
            else
            {
                _rooms.Add(room, new RoomTally(room) { Count = 1 });
            }
        }
    }

    // Two nodes may briefly hold the same nickname after a split; the index keeps whichever came last.
    private void Unindex(RemoteMember member)
    {
        if (_byNick.TryGetValue(member.Nick, out var indexed) && indexed.ConnectionId == member.ConnectionId && indexed.NodeId == member.NodeId)
        {
            _byNick.Remove(member.Nick);
        }

        foreach (var room in member.Rooms)
        {
            if (_rooms.TryGetValue(room, out var tally) && --tally.Count <= 0)
            {
                _rooms.Remove(room);
            }
        }
    }

    private void UpdateCount() => Volatile.Write(ref _count, _nodes.Values.Sum(node => node.Members.Count));

    private sealed class RoomTally(string name)
    {
        public string Name { get; } = name;

        public int Count { get; set; }
    }

    private sealed class NodeEntry(string name)
    {
        public string Name { get; set; } = name;

        public long LastSeq { get; set; } = -1;

        public DateTimeOffset LastSeen { get; set; }

        public Dictionary<string, RemoteMember> Members { get; } = new(StringComparer.Ordinal);
    }
}
