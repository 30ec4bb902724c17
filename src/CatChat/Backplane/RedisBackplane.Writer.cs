using CatChat.Chat;
using StackExchange.Redis;

namespace CatChat.Backplane;

/// <summary>
/// The writer loop: publishes this node's messages and writes its presence, in queue order, and between
/// them beats the heartbeat (while whole) or tries to rejoin (while split).
/// </summary>
internal sealed partial class RedisBackplane
{
    private long _seq;

    // After the goodbye this node says nothing more, so no other node mistakes it for alive again.
    private bool _saidBye;

    // The heartbeat a rejoining node waits to hear back from Redis, proof that its subscription works.
    private Probe? _probe;

    private async Task WriteLoopAsync()
    {
        var reader = _outgoing.Reader;
        var lastBeat = long.MinValue;
        while (true)
        {
            var untilBeat = lastBeat == long.MinValue ? TimeSpan.Zero : _options.RedisHeartbeat - _time.GetElapsedTime(lastBeat);
            if (untilBeat > TimeSpan.Zero && !reader.TryPeek(out _))
            {
                using var timeout = new CancellationTokenSource(untilBeat, _time);
                try
                {
                    if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                    {
                        return; // Completed and drained: stopping.
                    }
                }
                catch (OperationCanceledException)
                {
                    // Time for the heartbeat.
                }
            }
            else if (reader.Completion.IsCompleted)
            {
                return;
            }

            TakeRoomChanges();
            if (State == BackplaneState.Whole)
            {
                await WriteBatchAsync().ConfigureAwait(false);
            }
            else
            {
                DropQueued();
            }

            var healNow = Interlocked.Exchange(ref _healNow, 0) == 1;
            if (_saidBye)
            {
                continue;
            }

            if (lastBeat == long.MinValue || _time.GetElapsedTime(lastBeat) >= _options.RedisHeartbeat || (healNow && State != BackplaneState.Whole))
            {
                lastBeat = _time.GetTimestamp();
                if (State == BackplaneState.Whole)
                {
                    await HeartbeatAsync().ConfigureAwait(false);
                }
                else
                {
                    await TryRejoinAsync().ConfigureAwait(false);
                }
            }
        }
    }

    // Issues up to a batch of queued work without waiting in between (Redis pipelines it), then waits for all of it.
    private async Task WriteBatchAsync()
    {
        var db = _redis!.GetDatabase();
        var pending = new List<Task>();
        var messages = 0;
        while (pending.Count < MaxBatch && _outgoing.Reader.TryRead(out var item))
        {
            if (item.Message is { } message && !_saidBye)
            {
                var stamped = TravelsInItsRoom(message.Kind) ? StampRoomMessage(message) : Stamp(message);
                pending.Add(db.PublishAsync(ChannelOf(message), EnvelopeCodec.Encode(stamped)));
                _saidBye = message.Kind == ClusterMessageKind.Bye;
                messages++;
            }
            else if (item.Write is { } write)
            {
                pending.Add(write(db));
            }
        }

        try
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
            Metrics.PublishedMessages(messages);
            await SyncRoomSubscriptionsAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            BackplaneLog.RedisFailed(_logger, ex.Message);
            Volatile.Write(ref _lost, 1);
            Volatile.Write(ref _rewritePresence, 1);
            EnterSplit(ex.Message);
        }
    }

    private ClusterMessage Stamp(ClusterMessage message)
    {
        if (Interlocked.Exchange(ref _lost, 0) == 1)
        {
            _seq++; // The gap tells the other nodes to read this node's users again.
        }

        return message with { Node = NodeId, NodeName = NodeName, Seq = ++_seq };
    }

    // Split: nothing leaves. What is said meanwhile stays on this node; the presence is rewritten on rejoining.
    private void DropQueued()
    {
        while (_outgoing.Reader.TryRead(out var item))
        {
            if (item.Message is not null)
            {
                Metrics.PublishDroppedMessage();
                Volatile.Write(ref _lost, 1);
            }

            item.Dropped?.Invoke();
        }
    }

    private async Task HeartbeatAsync()
    {
        var db = _redis!.GetDatabase();
        var members = _room.Members;
        var nicks = members.Select(m => m.Nick).ToArray();
        var rewrite = Interlocked.Exchange(ref _rewritePresence, 0) == 1;
        var pending = WritePresence(db, members, rewrite, out var renewed);
        var claims = ClaimAll(db, members, nicks);
        pending.AddRange(claims);
        pending.Add(db.PublishAsync(_control, EnvelopeCodec.Encode(Stamp(new ClusterMessage(ClusterMessageKind.Heartbeat) { Users = members.Count }))));
        try
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
            if (!rewrite && members.Count > 0 && !renewed.Result)
            {
                await RestorePresenceAsync(db, members).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            BackplaneLog.RedisFailed(_logger, ex.Message);
            Volatile.Write(ref _rewritePresence, 1);
            EnterSplit(ex.Message);
            return;
        }

        ReplaceLostNicks(members, nicks, claims);
        _incoming.Writer.TryWrite(new Incoming(null, IncomingWork.ExpireSilentNodes, null));
    }

    /// <summary>
    /// Joins (or rejoins) the cluster: subscribes, writes this node's presence from scratch, claims every
    /// user's nickname, and reads the other nodes' users, in that order, before counting itself whole.
    /// </summary>
    private async Task TryRejoinAsync()
    {
        try
        {
            if (_redis is not { IsConnected: true })
            {
                await NoticeRefusedPasswordAsync().ConfigureAwait(false);

                if (State == BackplaneState.Connecting)
                {
                    EnterSplit("not connected");
                }

                return;
            }

            var subscriber = _redis.GetSubscriber();
            if (_subscription is null)
            {
                _sharded = _redis.GetServers().Where(server => server.IsConnected).All(server => server.Features.ShardedPubSub);
                _control = RedisNames.Control(_sharded);
                BackplaneLog.PubSubMode(_logger, _sharded ? "sharded (SSUBSCRIBE/SPUBLISH)" : "classic (SUBSCRIBE/PUBLISH)");
                _subscription = await subscriber.SubscribeAsync(_control).ConfigureAwait(false);
                _subscription.OnMessage(OnMessage);
            }

            if (!subscriber.IsConnected(_control))
            {
                return;
            }

            var db = _redis.GetDatabase();
            var members = _room.Members;
            var nicks = members.Select(m => m.Nick).ToArray();
            var claims = ClaimAll(db, members, nicks);
            await Task.WhenAll(WritePresence(db, members, rewrite: true, out _).Concat(claims)).ConfigureAwait(false);

            // Connected is not yet subscribed: only a message of its own coming back shows that this node hears the others.
            var heartbeat = Stamp(new ClusterMessage(ClusterMessageKind.Heartbeat) { Users = members.Count });
            var probe = new Probe(heartbeat.Seq, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            Volatile.Write(ref _probe, probe);
            await db.PublishAsync(_control, EnvelopeCodec.Encode(heartbeat)).ConfigureAwait(false);
            await probe.Heard.Task.WaitAsync(StartTimeout, _time).ConfigureAwait(false);

            // Read the others in the reader's order, so no message of theirs is applied out of turn.
            var resynced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_incoming.Writer.TryWrite(new Incoming(null, IncomingWork.ResyncAll, resynced)))
            {
                return;
            }

            await resynced.Task.WaitAsync(StartTimeout, _time).ConfigureAwait(false);
            CheckEveryRoom();
            await SyncRoomSubscriptionsAsync().ConfigureAwait(false);
            Interlocked.Exchange(ref _rewritePresence, 0);
            Volatile.Write(ref _refusalLogged, 0);
            var previous = (BackplaneState)Interlocked.Exchange(ref _state, (int)BackplaneState.Whole);
            if (previous == BackplaneState.Split)
            {
                BackplaneLog.Whole(_logger);
                _room.AnnounceWhole();
            }
            else
            {
                BackplaneLog.Joined(_logger, NodeName, NodeId);
            }

            // Modes set while this node was away (or before it started) hold here too, and its own reach the others.
            _room.AskForRoomModes();
            ReplaceLostNicks(members, nicks, claims);
        }
        catch (Exception ex)
        {
            BackplaneLog.RedisFailed(_logger, ex.Message);
            if (State == BackplaneState.Connecting)
            {
                EnterSplit(ex.Message);
            }
        }
        finally
        {
            _firstAttempt.TrySetResult();
        }
    }

    // Redis that answers but refuses the password is a setting to correct, not an outage to wait out, but the client raises
    // no event for it: it says so only to a command, which fails at once while disconnected. Said once, until whole again.
    private async Task NoticeRefusedPasswordAsync()
    {
        try
        {
            await _redis!.GetDatabase().PingAsync().ConfigureAwait(false);
        }
        catch (RedisConnectionException ex) when (RefusalIn(ex.ToString()) is { } refusal)
        {
            if (Interlocked.Exchange(ref _refusalLogged, 1) == 0)
            {
                BackplaneLog.PasswordRefused(_logger, refusal);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Not connected for another reason: the split says so.
        }
    }

    // Redis's own error codes for a missing or wrong password.
    private static string? RefusalIn(string error) =>
        error.Contains("WRONGPASS", StringComparison.Ordinal) ? "WRONGPASS" : error.Contains("NOAUTH", StringComparison.Ordinal) ? "NOAUTH" : null;

    // Refreshes this node's keys (rewriting its members hash from scratch with rewrite); renewed is false when the
    // members hash was not there to refresh.
    private List<Task> WritePresence(IDatabase db, IReadOnlyList<ChatMember> members, bool rewrite, out Task<bool> renewed)
    {
        var membersKey = RedisNames.Members(NodeId);
        var writes = new List<Task>
        {
            db.StringSetAsync(RedisNames.Node(NodeId), NodeName, PresenceTimeout),
            db.SetAddAsync(RedisNames.Nodes, NodeId),
        };
        if (rewrite)
        {
            writes.Add(db.KeyDeleteAsync(membersKey));
            if (members.Count > 0)
            {
                writes.Add(db.HashSetAsync(membersKey, members.Select(m => new HashEntry(m.ConnectionId, EnvelopeCodec.EncodeMember(m))).ToArray()));
            }
        }

        renewed = db.KeyExpireAsync(membersKey, PresenceTimeout);
        writes.Add(renewed);
        return writes;
    }

    // This node's members hash expired while it had users: it went unheard for a presence timeout (a long pause, a
    // frozen VM) without its link breaking, so it never split, but the others have dropped its users and will read
    // nobody back from Redis. Write the hash again, then skip a number, so that the next message makes them read it.
    private async Task RestorePresenceAsync(IDatabase db, IReadOnlyList<ChatMember> members)
    {
        BackplaneLog.PresenceExpired(_logger, members.Count);
        await Task.WhenAll(WritePresence(db, members, rewrite: true, out _)).ConfigureAwait(false);
        Volatile.Write(ref _lost, 1);
    }

    // Claims (or keeps) every member's nickname for another presence timeout, a thousand keys per script.
    private List<Task<RedisResult>> ClaimAll(IDatabase db, IReadOnlyList<ChatMember> members, string[] nicks)
    {
        var claims = new List<Task<RedisResult>>();
        var ttl = (RedisValue)(long)PresenceTimeout.TotalMilliseconds;
        for (var start = 0; start < members.Count; start += MaxKeysPerScript)
        {
            var end = Math.Min(members.Count, start + MaxKeysPerScript);
            var keys = nicks[start..end].Select(nick => RedisNames.Nick(nick)).ToArray();
            var values = members.Skip(start).Take(end - start).Select(m => (RedisValue)HolderOf(m)).Prepend(ttl).ToArray();
            claims.Add(db.ScriptEvaluateAsync(RedisScripts.Claim, keys, values));
        }

        return claims;
    }

    // The nicknames another node holds go back to their holders; these members become guests again.
    private void ReplaceLostNicks(IReadOnlyList<ChatMember> members, string[] nicks, List<Task<RedisResult>> claims)
    {
        for (var chunk = 0; chunk < claims.Count; chunk++)
        {
            foreach (var position in (RedisResult[]?)claims[chunk].Result ?? [])
            {
                var index = (chunk * MaxKeysPerScript) + (int)position - 1;
                _room.ReplaceLostNick(members[index], nicks[index]);
            }
        }
    }
}
