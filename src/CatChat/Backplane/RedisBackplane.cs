using System.Security.Cryptography;
using System.Threading.Channels;
using CatChat.Chat;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CatChat.Backplane;

/// <summary>
/// The Redis backplane: joins this node's chat to the other nodes'. Every message and every write to the
/// shared presence goes through one bounded queue drained by one writer loop, so this node's messages leave
/// in the order they were made and the chat path never waits for Redis. Messages from the other nodes are
/// received into a second queue and applied by one reader loop, in the order each node sent them. A room other
/// than the default one has a channel of its own, which this node hears only while the room has a member here
/// (RedisBackplane.Rooms.cs). See docs/scaling.md.
/// </summary>
internal sealed partial class RedisBackplane : IBackplane, IAsyncDisposable
{
    /// <summary>How long <c>/nick</c> waits for the cluster before refusing.</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);
    private const int IncomingCapacity = 100_000;
    private const int MaxBatch = 512;
    private const int MaxKeysPerScript = 1000;

    private readonly BackplaneOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EnvelopeCodec _codec;
    private readonly Channel<Outgoing> _outgoing;
    private readonly Channel<Incoming> _incoming;
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConnectionMultiplexer? _redis;
    private ChannelMessageQueue? _subscription;

    // Chosen when Redis is first reached (sharded pub/sub needs Redis 7), then kept: every node of a cluster decides the same.
    private bool _sharded;
    private RedisChannel _control;
    private ChatRoom _room = null!;
    private Task _writer = Task.CompletedTask;
    private Task _reader = Task.CompletedTask;
    private int _state = (int)BackplaneState.Connecting;

    // Set from any thread: the next message published skips a sequence number, so the others notice the loss.
    private int _lost;

    // Set from any thread: the next heartbeat rewrites this node's members hash from scratch.
    private int _rewritePresence;
    private int _healNow;

    // 1 once Redis's refusal of the password has been logged; 0 again when whole.
    private int _refusalLogged;

    public RedisBackplane(BackplaneOptions options, IOptions<ChatOptions> chatOptions, TimeProvider time, ILogger<RedisBackplane> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _codec = new EnvelopeCodec(chatOptions.Value.MaxLineBytes);
        NodeName = options.EffectiveNodeName;
        NodeId = NodeName + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        _outgoing = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(options.RedisQueue) { SingleReader = true });
        _incoming = Channel.CreateBounded<Incoming>(new BoundedChannelOptions(IncomingCapacity) { SingleReader = true, SingleWriter = false });
    }

    public bool IsClustered => true;

    public string NodeId { get; }

    public string NodeName { get; }

    public BackplaneState State => (BackplaneState)Volatile.Read(ref _state);

    public ClusterView Cluster { get; } = new();

    public BackplaneMetrics Metrics { get; } = new();

    private TimeSpan PresenceTimeout => _options.RedisPresenceTimeout;

    /// <summary>Connects, starts the loops, and waits (bounded) for the first attempt to join the cluster.</summary>
    public async Task StartAsync(ChatRoom room, CancellationToken cancel)
    {
        _room = room;
        var configuration = ConfigurationOptions.Parse(_options.Redis);

        // Never refuse to start over Redis: serve alone and keep trying.
        configuration.AbortOnConnectFail = false;

        // While disconnected, fail at once instead of queueing: what is said during a split stays local.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        configuration.ConnectTimeout = 2000;
        configuration.AsyncTimeout = 2000;
        configuration.KeepAlive = 1;
        configuration.ClientName ??= "catchat-" + NodeName;
        _redis = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        _redis.ConnectionFailed += (_, failure) => EnterSplit(failure.Exception?.Message ?? failure.FailureType.ToString());
        _redis.ConnectionRestored += (_, _) => Wake();
        _reader = Task.Run(ReadLoopAsync, CancellationToken.None);
        _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        try
        {
            await _firstAttempt.Task.WaitAsync(StartTimeout, _time, cancel).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still trying in the background; the node serves its own users meanwhile.
        }
    }

    /// <summary>Sends what is queued (the goodbye among it), leaves the cluster's presence, and disconnects.</summary>
    public async Task StopAsync()
    {
        _outgoing.Writer.TryComplete();
        await WaitBoundedAsync(_writer).ConfigureAwait(false);
        if (_redis is { IsConnected: true } && State == BackplaneState.Whole)
        {
            // Leave at once rather than when the keys expire; the nickname claims went as each user left.
            var db = _redis.GetDatabase();
            await WaitBoundedAsync(Task.WhenAll(
                db.KeyDeleteAsync([RedisNames.Node(NodeId), RedisNames.Members(NodeId)]),
                db.SetRemoveAsync(RedisNames.Nodes, NodeId))).ConfigureAwait(false);
        }

        _incoming.Writer.TryComplete();
        await WaitBoundedAsync(_reader).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Publish(ClusterMessage message)
    {
        if (!_outgoing.Writer.TryWrite(new Outgoing(message, null, null)))
        {
            Metrics.PublishDroppedMessage();
            Volatile.Write(ref _lost, 1);
        }
    }

    public async ValueTask<NickClaim> ClaimNickAsync(ChatMember member, string nick, CancellationToken cancel = default)
    {
        if (State != BackplaneState.Whole)
        {
            return NickClaim.Unavailable;
        }

        // Through the queue, so the claim is ordered after this node's earlier releases of the same name.
        var result = new TaskCompletionSource<NickClaim>(TaskCreationOptions.RunContinuationsAsynchronously);
        var key = RedisNames.Nick(nick);
        var holder = HolderOf(member);
        if (!Enqueue(db => ClaimAsync(db, key, holder, result), () => result.TrySetResult(NickClaim.Unavailable)))
        {
            return NickClaim.Unavailable;
        }

        try
        {
            return await result.Task.WaitAsync(ClaimTimeout, _time, cancel).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return NickClaim.Unavailable;
        }
    }

    public void MemberJoined(ChatMember member)
    {
        var nick = member.Nick;
        var key = RedisNames.Nick(nick);
        var holder = HolderOf(member);
        var record = EnvelopeCodec.EncodeMember(member);
        Enqueue(db => Task.WhenAll(
            db.HashSetAsync(RedisNames.Members(NodeId), member.ConnectionId, record),
            db.KeyExpireAsync(RedisNames.Members(NodeId), PresenceTimeout),
            ClaimGuestAsync(db, key, holder, member, nick)));
    }

    public void MemberRenamed(ChatMember member, string oldNick)
    {
        var record = EnvelopeCodec.EncodeMember(member);
        var release = string.Equals(oldNick, member.Nick, StringComparison.OrdinalIgnoreCase) ? (RedisKey?)null : RedisNames.Nick(oldNick);
        var holder = HolderOf(member);
        Enqueue(db => Task.WhenAll(
            db.HashSetAsync(RedisNames.Members(NodeId), member.ConnectionId, record),
            release is { } key ? db.ScriptEvaluateAsync(RedisScripts.Release, [key], [holder]) : Task.CompletedTask));
    }

    public void MemberUpdated(ChatMember member)
    {
        var record = EnvelopeCodec.EncodeMember(member);
        Enqueue(db => db.HashSetAsync(RedisNames.Members(NodeId), member.ConnectionId, record));
    }

    public void MemberLeft(ChatMember member)
    {
        var key = RedisNames.Nick(member.Nick);
        var holder = HolderOf(member);
        Enqueue(db => Task.WhenAll(
            db.HashDeleteAsync(RedisNames.Members(NodeId), member.ConnectionId),
            db.ScriptEvaluateAsync(RedisScripts.Release, [key], [holder])));
    }

    private string HolderOf(ChatMember member) => NodeId + " " + member.ConnectionId;

    private bool Enqueue(Func<IDatabase, Task> write, Action? dropped = null)
    {
        if (_outgoing.Writer.TryWrite(new Outgoing(null, write, dropped)))
        {
            return true;
        }

        Volatile.Write(ref _rewritePresence, 1);
        return false;
    }

    private async Task ClaimAsync(IDatabase db, RedisKey key, string holder, TaskCompletionSource<NickClaim> result)
    {
        try
        {
            var lost = (RedisResult[]?)await db.ScriptEvaluateAsync(
                RedisScripts.Claim, [key], [(long)PresenceTimeout.TotalMilliseconds, holder]).ConfigureAwait(false);
            result.TrySetResult(lost is { Length: > 0 } ? NickClaim.Taken : NickClaim.Claimed);
        }
        catch
        {
            result.TrySetResult(NickClaim.Unavailable);
            throw;
        }
    }

    private async Task ClaimGuestAsync(IDatabase db, RedisKey key, string holder, ChatMember member, string nick)
    {
        var lost = (RedisResult[]?)await db.ScriptEvaluateAsync(
            RedisScripts.Claim, [key], [(long)PresenceTimeout.TotalMilliseconds, holder]).ConfigureAwait(false);
        if (lost is { Length: > 0 })
        {
            _room.ReplaceLostNick(member, nick);
        }
    }

    private void EnterSplit(string reason)
    {
        if (Interlocked.CompareExchange(ref _state, (int)BackplaneState.Split, (int)BackplaneState.Whole) == (int)BackplaneState.Whole)
        {
            Volatile.Write(ref _lost, 1);
            Metrics.SplitStarted();
            BackplaneLog.Split(_logger, reason);
            _room.AnnounceSplit();
        }
        else if (Interlocked.CompareExchange(ref _state, (int)BackplaneState.Split, (int)BackplaneState.Connecting) == (int)BackplaneState.Connecting)
        {
            BackplaneLog.Unreachable(_logger, reason);
            _firstAttempt.TrySetResult();
        }
    }

    // Asks the writer to try to rejoin now rather than at its next heartbeat.
    private void Wake()
    {
        Volatile.Write(ref _healNow, 1);
        _outgoing.Writer.TryWrite(default);
    }

    private async Task WaitBoundedAsync(Task task)
    {
        try
        {
            await task.WaitAsync(StopTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or RedisException or ObjectDisposedException)
        {
            BackplaneLog.RedisFailed(_logger, ex.Message);
        }
    }

    /// <summary>A heartbeat published while rejoining, and the signal that it came back.</summary>
    private sealed record Probe(long Seq, TaskCompletionSource Heard);

    /// <summary>One item of the writer's queue: a message to publish, or a write to the shared presence.</summary>
    private readonly record struct Outgoing(ClusterMessage? Message, Func<IDatabase, Task>? Write, Action? Dropped);

    /// <summary>One item of the reader's queue: a message from the bus, or work that must be ordered with them.</summary>
    private readonly record struct Incoming(byte[]? Bytes, IncomingWork Work, TaskCompletionSource? Done, string? Room = null);

    private enum IncomingWork
    {
        Message,
        ResyncAll,
        ExpireSilentNodes,

        /// <summary>This node no longer hears <see cref="Incoming.Room"/>: what it knew of its senders' sequences goes.</summary>
        ForgetRoom,
    }
}
