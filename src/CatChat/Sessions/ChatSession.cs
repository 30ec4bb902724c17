using System.Buffers;
using CatChat.Chat;
using CatChat.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CatChat.Sessions;

/// <summary>
/// One member's connection to the chat, whatever its front door: the member and its outbox (the connection's one
/// writer), flood control, the idle timer, joining and leaving the room, and closing. A front door's protocol (the
/// talk's Protocol) derives from it and drives it from its <see cref="RunAsync"/>: connectionMade, lineReceived,
/// connectionLost. A subclass rather than a second object, so an idle connection pays for one object header.
/// </summary>
internal abstract partial class ChatSession : IMemberConnection
{
    // After the read side ends, queued output (an error, a goodbye) gets this long to leave.
    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(2);

    private readonly ConnectionContext _connection;
    private readonly SessionServices _services;
    private readonly Outbox _outbox;
    private readonly FloodGate _floodGate;
    private readonly ChatMember _member;
    private string? _closeReason;
    private bool _abortRequested;
    private bool _joined;
    private bool _senderPaused;
    private ITimer? _idleTimer;

    // Stopping: set once by Close or Abort. The source exists only while something long must stop with the session
    // (a flood delay, a database call); an idle session holds none (see StopToken).
    private int _stopRequested;
    private CancellationTokenSource? _stopSource;

    protected ChatSession(ConnectionContext connection, SessionServices services, string door = "netcat")
    {
        _connection = connection;
        _services = services;
        var options = services.Options;
        _floodGate = new FloodGate(options.FloodBurst, options.FloodLinesPerSecond, options.FloodDisconnectAfter, services.Time);
        _outbox = new Outbox(options.SendQueueBytes, this, services.Room.Metrics, services.Lanes.Next());
        _member = new ChatMember(connection.ConnectionId, PeerAddress.Describe(connection.RemoteEndPoint), services.Time.GetUtcNow(), _outbox, this) { Door = door };
    }

    public ChatMember Member => _member;

    protected ConnectionContext Connection => _connection;

    protected ChatRoom Chat => _services.Room;

    protected SessionLimits Options => _services.Options;

    protected ChatOptions ChatOptions => _services.ChatOptions;

    protected TimeProvider Time => _services.Time;

    protected ILogger Logger => _services.Logger;

    protected IChatStore? Store => _services.Store;

    /// <summary>Why the connection is closing, once somebody has said.</summary>
    protected string? CloseReason => Volatile.Read(ref _closeReason);

    protected bool StopRequested => Volatile.Read(ref _stopRequested) != 0;

    /// <summary>Cancelled when the session is asked to stop: for waits that must end with it (a flood delay, a database call).</summary>
    // Created on first use, already cancelled if the session is stopping (the two fences make the race safe).
    protected CancellationToken StopToken
    {
        get
        {
            var source = Volatile.Read(ref _stopSource);
            if (source is null)
            {
                var created = new CancellationTokenSource();
                source = Interlocked.CompareExchange(ref _stopSource, created, null) ?? created;
            }

            if (StopRequested)
            {
                TryCancel(source);
            }

            return source.Token;
        }
    }

    /// <summary>
    /// The connection from first byte to last, in the talk's three events: <see cref="ConnectionMade"/>, then
    /// <see cref="LineReceivedAsync"/> for each line the front door's <see cref="Framer"/> finds until the peer or
    /// the server ends it, then connectionLost (<see cref="LeaveRoomAsync"/>), whatever happened. The loop is
    /// here, inline, for every front door: each async method suspended while a connection idles costs it a box on
    /// the heap, so there is one.
    /// </summary>
    public async Task RunAsync()
    {
        try
        {
            StartWriting();
            if (!ConnectionMade())
            {
                return;
            }

            var framer = Framer;
            var input = _connection.Transport.Input;
            var reading = true;
            while (reading)
            {
                var read = input.ReadAsync();

                // Nothing was waiting: the sender has gone quiet since its last line (see FloodGate.Take).
                OnReading(hadData: read.IsCompleted);
                var result = await read.ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    break; // Close or Abort: whoever stopped us named the reason.
                }

                var buffer = result.Buffer;
                if (!_sawInput && !buffer.IsEmpty)
                {
                    _sawInput = true;
                    if (RefusesTlsHandshake && TlsHandshakeSniffer.StartsHandshake(buffer))
                    {
                        // A TLS client on a plain port would wait for an answer that never comes, announced to the room
                        // in the meantime: it goes at once, unannounced, without a line read.
                        AbortWhenDone(CloseReasons.TlsOnPlainPort);
                        input.AdvanceTo(buffer.End);
                        break;
                    }
                }

                try
                {
                    while (reading)
                    {
                        var frame = framer.TryReadLine(ref buffer, out var line);
                        if (frame == FrameResult.NeedMoreData)
                        {
                            break;
                        }

                        if (frame == FrameResult.LineTooLong)
                        {
                            reading = LineTooLong();
                            continue;
                        }

                        var receivedAt = Time.GetTimestamp();
                        OnLineReceived(line.Length);
                        reading = await LineReceivedAsync(line, receivedAt).ConfigureAwait(false);
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (reading && result.IsCompleted)
                {
                    // A partial line without its newline is dropped: the peer is gone mid-line.
                    SetCloseReason(CloseReasons.ClientClosed);
                    reading = false;
                }
            }
        }
        catch (Exception ex)
        {
            OnFailed(ex);
        }
        finally
        {
            ReadingEnded();
            await LeaveRoomAsync().ConfigureAwait(false);
        }
    }

    /// <summary>How the front door cuts its byte stream into lines (its limit on a line's length).</summary>
    protected abstract LineFramer Framer { get; }

    /// <summary>True for a front door whose peer writes raw bytes (not one that gets them through an adapter): a TLS handshake there is refused.</summary>
    protected virtual bool RefusesTlsHandshake => false;

    private bool _sawInput;

    /// <summary>connectionMade: greet, and (for a front door that does so at once) join; false to read nothing.</summary>
    protected abstract bool ConnectionMade();

    /// <summary>lineReceived: one line's bytes (without CR/LF); false when the session must read no further.</summary>
    protected abstract ValueTask<bool> LineReceivedAsync(ReadOnlySequence<byte> line, long receivedAt);

    /// <summary>A line passed the framer's limit (and is dropped); false when the session must read no further.</summary>
    protected abstract bool LineTooLong();

    /// <summary>The read side is over, before the member leaves: a front door's last words to an unregistered peer.</summary>
    protected virtual void ReadingEnded()
    {
    }

    /// <summary>Asks the connection to close gracefully: stop reading, send what is queued, then close.</summary>
    public void Close(string reason)
    {
        SetCloseReason(reason);
        RequestStop();
    }

    /// <summary>The outbox overflowed: this peer does not read, so it loses its connection rather than anyone waiting.</summary>
    void IMemberConnection.OnSlowConsumer()
    {
        Chat.Metrics.ClientDroppedAsSlow();
        Abort(CloseReasons.SlowConsumer);
    }

    /// <summary>Queues <paramref name="encodedLine"/> as the last thing this connection sends: nothing queued after it leaves.</summary>
    protected bool SendLast(byte[] encodedLine) => _outbox.TryEnqueueLast(encodedLine);

    /// <summary>
    /// Queues a frame of the connection's own (<see cref="IOwnFramesConnection"/>) among the session's output;
    /// <paramref name="last"/> for one after which nothing may follow (a WebSocket's close).
    /// </summary>
    public bool QueueConnectionFrame(byte[] frame, bool last) => last ? SendLast(frame) : _member.Deliver(frame);

    /// <summary>True once the user is in the chat (read by other threads too: a server stopping spares such connections for its goodbye).</summary>
    public bool InChat => Volatile.Read(ref _joined);

    /// <summary>Holds this connection's output until the returned cork is disposed, so a reply of many lines leaves in one send.</summary>
    protected Outbox.Cork HoldWrites() => _outbox.Hold();

    /// <summary>connectionMade, the shared half: the outbox starts writing to the transport.</summary>
    protected void StartWriting() => _outbox.Start(_connection.Transport.Output);

    /// <summary>connectionMade: a place in the room under a guest nickname; false when the server is shutting down.</summary>
    protected bool TryJoin()
    {
        if (!Chat.TryJoin(_member))
        {
            SetCloseReason(CloseReasons.ServerShuttingDown);
            return false;
        }

        OnJoined();
        return true;
    }

    /// <summary>
    /// A place in the chat under the nickname the user chose, in the default room only with
    /// <paramref name="enterDefaultRoom"/> (an IRC client joins its channels itself).
    /// </summary>
    protected JoinOutcome TryJoin(string nick, bool enterDefaultRoom)
    {
        var outcome = Chat.TryJoin(_member, nick, enterDefaultRoom);
        if (outcome == JoinOutcome.ShuttingDown)
        {
            SetCloseReason(CloseReasons.ServerShuttingDown);
        }
        else if (outcome == JoinOutcome.Joined)
        {
            OnJoined();
        }

        return outcome;
    }

    private void OnJoined()
    {
        Volatile.Write(ref _joined, true);
        Chat.Metrics.ConnectionAccepted();
        SessionLog.Connected(Logger, _member.ConnectionId, _member.RemoteAddress, _member.Nick);
        RestartIdleTimer();
    }

    /// <summary>A read is about to be awaited; <paramref name="hadData"/> false when nothing was waiting (the sender paused).</summary>
    protected void OnReading(bool hadData) => _senderPaused |= !hadData;

    /// <summary>lineReceived, the shared half: the line counts as activity for the idle timer.</summary>
    protected void OnLineReceived(long bytes)
    {
        Chat.Metrics.LineReceived(bytes);
        RestartIdleTimer();
    }

    /// <summary>
    /// Flood control before acting on a line: how long to wait first, and what to tell the user. Waits are counted
    /// from now; the front door tells its user in its own words, then waits with <see cref="WaitAsync"/>.
    /// </summary>
    protected FloodVerdict TakeFloodToken(out TimeSpan wait)
    {
        var takenAt = Time.GetTimestamp();
        wait = _floodGate.Take(_senderPaused);
        _senderPaused = false;
        if (wait <= TimeSpan.Zero)
        {
            return FloodVerdict.Pass;
        }

        Chat.Metrics.LineDelayedByFloodControl();
        if (_floodGate.FloodingTooLong)
        {
            Chat.Metrics.ClientDroppedForFlood();
            SetCloseReason(CloseReasons.ExcessFlood);
            return FloodVerdict.Disconnect;
        }

        // Count the wait from when the token was taken, not from when the caller starts its timer.
        wait -= Time.GetElapsedTime(takenAt);
        return _floodGate.JustStartedThrottling ? FloodVerdict.StartedThrottling : FloodVerdict.Delayed;
    }

    /// <summary>Waits (reading nothing meanwhile, so the sender's own TCP window pushes back), or until the session stops.</summary>
    protected Task WaitAsync(TimeSpan wait) =>
        wait > TimeSpan.Zero ? Task.Delay(wait, Time, StopToken) : Task.CompletedTask;

    /// <summary>
    /// connectionLost: leaves the room (before anything else, so nobody queues more for this peer), lets the front door
    /// announce it, sends what is queued, and tells whoever served the connection that it is over.
    /// </summary>
    protected async Task LeaveRoomAsync()
    {
        try
        {
            if (_joined)
            {
                Chat.Leave(_member);
                OnLeft();
                SessionLog.Disconnected(Logger, _member.ConnectionId, _member.RemoteAddress, _member.Nick, CloseReason ?? CloseReasons.ClientClosed);
            }

            await FinishWritingAsync().ConfigureAwait(false);
        }
        finally
        {
            // CatChat's own transport learns here that the session is over; Kestrel awaits the task.
            _services.Ended?.Invoke(_connection);
        }
    }

    /// <summary>The member has left the room: the front door announces it its own way.</summary>
    protected virtual void OnLeft()
    {
    }

    /// <summary>The session is over: the front door drops its own timers.</summary>
    protected virtual void OnFinished()
    {
    }

    private void RestartIdleTimer()
    {
        if (Options.IdleTimeout <= TimeSpan.Zero)
        {
            return;
        }

        if (_idleTimer is null)
        {
            _idleTimer = Time.CreateTimer(
                static session => ((ChatSession)session!).Close(CloseReasons.IdleTimeout), this, Options.IdleTimeout, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _idleTimer.Change(Options.IdleTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task FinishWritingAsync()
    {
        var drained = _outbox.CompleteAsync();
        if (_abortRequested)
        {
            _outbox.Abort();
            _connection.Abort(new ConnectionAbortedException(CloseReason ?? "aborted"));
        }

        try
        {
            await drained.WaitAsync(FinalFlushTimeout, Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The peer would not read what was left; nothing more is owed to it.
            _outbox.Abort();
        }
        finally
        {
            OnFinished();
            _idleTimer?.Dispose();
            Volatile.Read(ref _stopSource)?.Dispose();
        }
    }
}
