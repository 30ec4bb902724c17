using CatChat.Chat;
using StackExchange.Redis;

namespace CatChat.Backplane;

/// <summary>
/// The reader loop: applies the other nodes' messages to the room one at a time, in the order each node
/// sent them. Whatever must not interleave with them (reading a node's users after a gap, the check for
/// silent nodes) runs in the same loop.
/// </summary>
internal sealed partial class RedisBackplane
{
    // Called by the subscription in the order Redis delivered; only copies and queues.
    private void OnMessage(ChannelMessage message)
    {
        byte[]? bytes = message.Message;
        if (bytes is null || !_incoming.Writer.TryWrite(new Incoming(bytes, IncomingWork.Message, null)))
        {
            // The seq gap this leaves makes the reader catch up from Redis.
            Metrics.ReceiveDroppedMessage();
        }
    }

    private async Task ReadLoopAsync()
    {
        await foreach (var item in _incoming.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                switch (item.Work)
                {
                    case IncomingWork.Message:
                        await ReceiveAsync(item.Bytes!).ConfigureAwait(false);
                        break;
                    case IncomingWork.ResyncAll:
                        await ResyncAllAsync().ConfigureAwait(false);
                        break;
                    case IncomingWork.ExpireSilentNodes:
                        ExpireSilentNodes();
                        break;
                    case IncomingWork.ForgetRoom:
                        ForgetRoom(item.Room!);
                        break;
                }

                item.Done?.TrySetResult();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                BackplaneLog.RedisFailed(_logger, ex.Message);
                item.Done?.TrySetException(ex);
            }
            catch (Exception ex)
            {
                // A bug here must not stop the chat between nodes: log it and go on with the next message.
                BackplaneLog.ReceiveFailed(_logger, ex);
                item.Done?.TrySetException(ex);
            }
        }
    }

    private async Task ReceiveAsync(byte[] bytes)
    {
        Metrics.ReceivedMessage();
        var message = _codec.TryDecode(bytes, out var rejection);
        if (message is null)
        {
            Metrics.RejectedMessage();
            BackplaneLog.Rejected(_logger, rejection ?? "invalid");
            return;
        }

        if (TravelsInItsRoom(message.Kind))
        {
            // Said here, delivered here when it was said; a room's lines carry no presence to catch up on.
            if (message.Node != NodeId && IsNewRoomMessage(message))
            {
                _room.ApplyRemote(message);
            }

            return;
        }

        if (message.Node == NodeId)
        {
            // Delivered here already, when it was said; heard back, it proves the subscription works.
            if (Volatile.Read(ref _probe) is { } probe && probe.Seq == message.Seq)
            {
                probe.Heard.TrySetResult();
            }

            return;
        }

        switch (Cluster.Observe(message.Node, message.NodeName, message.Seq, _time.GetUtcNow()))
        {
            case SequenceCheck.Duplicate:
                Metrics.DuplicateMessage();
                return;
            case SequenceCheck.Gap:
                Metrics.GapDetected();
                await ResyncNodeAsync(message.Node, message.Seq).ConfigureAwait(false);
                break;
            case SequenceCheck.First when message.Seq > 1:
                await ResyncNodeAsync(message.Node, message.Seq).ConfigureAwait(false);
                break;
        }

        if (message.Kind == ClusterMessageKind.Bye)
        {
            BackplaneLog.NodeLeft(_logger, message.NodeName, message.Node);
        }

        _room.ApplyRemote(message);
    }

    // Replaces what is known of one node's users with what Redis holds, then takes this message as its new baseline.
    private async Task ResyncNodeAsync(string nodeId, long seq)
    {
        var db = _redis!.GetDatabase();
        var name = db.StringGetAsync(RedisNames.Node(nodeId));
        var members = db.HashGetAllAsync(RedisNames.Members(nodeId));
        await Task.WhenAll(name, members).ConfigureAwait(false);
        if (name.Result.IsNullOrEmpty)
        {
            return; // Gone from Redis: going, or not yet rejoined; its silence or its next messages decide.
        }

        Replace(nodeId, name.Result.ToString(), members.Result);
        Cluster.Observe(nodeId, name.Result.ToString(), seq, _time.GetUtcNow());
    }

    // After joining or rejoining: every node Redis knows, with its users. Nodes this node knew that Redis
    // no longer does get a full presence timeout to speak up before they count as lost.
    private async Task ResyncAllAsync()
    {
        var db = _redis!.GetDatabase();
        Cluster.TouchAll(_time.GetUtcNow());
        var ids = (await db.SetMembersAsync(RedisNames.Nodes).ConfigureAwait(false))
            .Select(id => id.ToString())
            .Where(id => id != NodeId && EnvelopeCodec.IsId(id))
            .ToList();
        var names = ids.Select(id => db.StringGetAsync(RedisNames.Node(id))).ToList();
        var members = ids.Select(id => db.HashGetAllAsync(RedisNames.Members(id))).ToList();
        await Task.WhenAll(names.Concat<Task>(members)).ConfigureAwait(false);
        for (var i = 0; i < ids.Count; i++)
        {
            if (names[i].Result.IsNullOrEmpty)
            {
                // Its heartbeat stopped long enough ago for its key to expire: tidy the set.
                _ = db.SetRemoveAsync(RedisNames.Nodes, ids[i], CommandFlags.FireAndForget);
                continue;
            }

            Replace(ids[i], names[i].Result.ToString(), members[i].Result);
        }
    }

    private void Replace(string nodeId, string nodeName, HashEntry[] entries)
    {
        if (!EnvelopeCodec.IsId(nodeName))
        {
            return;
        }

        var members = entries
            .Select(entry => EnvelopeCodec.TryDecodeMember(nodeId, nodeName, entry.Name.ToString(), (byte[])entry.Value!))
            .OfType<RemoteMember>()
            .ToList();
        Cluster.ReplaceNode(nodeId, nodeName, members, _time.GetUtcNow());
        Metrics.Resynced();
        BackplaneLog.Resynced(_logger, nodeId, members.Count);
    }

    private void ExpireSilentNodes()
    {
        if (State != BackplaneState.Whole)
        {
            return; // Split: this node hears nobody, which says nothing about them.
        }

        foreach (var node in Cluster.SilentSince(_time.GetUtcNow() - PresenceTimeout))
        {
            Metrics.NodeLost();
            BackplaneLog.NodeLost(_logger, node.Name, node.Id, node.LastSeen, node.Users);
            _room.NodeGone(node.Id, node.Name, "server " + node.Name + " lost");
        }
    }
}
