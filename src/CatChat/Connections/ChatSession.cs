using System.Globalization;
using System.IO.Pipelines;
using CatChat.Chat;
using CatChat.Hosting;
using CatChat.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CatChat.Connections;

/// <summary>
/// One chat connection: the talk's Protocol. <see cref="RunAsync"/> greets and joins (connectionMade),
/// reads lines until the peer or the server ends it (lineReceived), and leaves in its finally
/// (connectionLost). All output goes through the connection's <see cref="Outbox"/>, its one writer.
/// </summary>
internal sealed partial class ChatSession : IMemberConnection
{
    // After the read side ends, queued output (an error, a goodbye) gets this long to leave.
    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(2);

    private readonly ConnectionContext _connection;
    private readonly SessionServices _services;
    private readonly Outbox _outbox;
    private readonly LineFramer _framer;
    private readonly FloodGate _floodGate;
    private readonly ChatMember _member;
    private string? _closeReason;
    private string? _quitMessage;
    private bool _abortRequested;
    private bool _sawFirstLine;
    private bool _senderPaused;
    private AnnouncementState _announcement;
    private ITimer? _joinAnnouncementTimer;
    private ITimer? _idleTimer;

    // Stopping: set once by Close or Abort. The source exists only while something long must stop with the session
    // (a flood delay, a database call); an idle session holds none (see StopToken).
    private int _stopRequested;
    private CancellationTokenSource? _stopSource;

    public ChatSession(ConnectionContext connection, SessionServices services)
    {
        _connection = connection;
        _services = services;
        var options = services.Options;
        _framer = new LineFramer(options.MaxLineBytes);
        _floodGate = new FloodGate(options.FloodBurst, options.FloodLinesPerSecond, options.FloodDisconnectAfter, services.Time);
        _outbox = new Outbox(options.SendQueueBytes, this, services.Room.Metrics, services.Lanes.Next());
        _member = new ChatMember(connection.ConnectionId, PeerAddress.Describe(connection.RemoteEndPoint), services.Time.GetUtcNow(), _outbox, this);
    }

    private enum AnnouncementState
    {
        NotYet,
        Joined,
        Left,
    }

    public ChatMember Member => _member;

    public async Task RunAsync()
    {
        try
        {
            _outbox.Start(_connection.Transport.Output);
            var joined = false;
            try
            {
                // connectionMade: the banner first, then a place in the room under a guest nickname.
                foreach (var line in _services.Room.EncodedBanner)
                {
                    _member.Deliver(line);
                }

                if (!_services.Room.TryJoin(_member))
                {
                    _member.Send(ChatLine.Notice("Server is shutting down. Goodbye!"));
                    _closeReason = CloseReason.ServerShuttingDown;
                    return;
                }

                joined = true;
                _services.Room.Metrics.ConnectionAccepted();
                ConnectionLog.Connected(_services.Logger, _member.ConnectionId, _member.RemoteAddress, _member.Nick);

                // Timers first, then the welcome: whoever sees the welcome may rely on them running.
                ScheduleJoinAnnouncement();
                RestartIdleTimer();
                SendWelcome();
                ReplayRecentHistory();

                // lineReceived, until the peer or the server ends it. The loop is inline on purpose: every async method
                // suspended while a connection idles costs it a box on the heap.
                var input = _connection.Transport.Input;
                var reading = true;
                while (reading)
                {
                    var read = input.ReadAsync();

                    // Nothing was waiting: the sender has gone quiet since its last line (see FloodGate.Take).
                    _senderPaused |= !read.IsCompleted;
                    var result = await read.ConfigureAwait(false);
                    if (result.IsCanceled)
                    {
                        break; // RequestStop: whoever stopped us named the reason.
                    }

                    var buffer = result.Buffer;
                    try
                    {
                        while (reading)
                        {
                            var frame = _framer.TryReadLine(ref buffer, out var line);
                            if (frame == FrameResult.NeedMoreData)
                            {
                                break;
                            }

                            if (frame == FrameResult.LineTooLong)
                            {
                                reading = OnLineTooLong();
                                continue;
                            }

                            var receivedAt = _services.Time.GetTimestamp();
                            _services.Room.Metrics.LineReceived(line.Length);
                            reading = await OnLineReceivedAsync(TextSanitizer.Sanitize(line), receivedAt).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        input.AdvanceTo(buffer.Start, buffer.End);
                    }

                    if (reading && result.IsCompleted)
                    {
                        // A partial line without its newline is dropped: the peer is gone mid-line.
                        SetCloseReason(CloseReason.ClientClosed);
                        reading = false;
                    }
                }
            }
            catch (OperationCanceledException) when (StopRequested)
            {
                // A flood delay or a database call cut short by Close or Abort, which named the reason.
            }
            catch (ConnectionResetException)
            {
                SetCloseReason(CloseReason.ConnectionReset);
            }
            catch (IOException)
            {
                SetCloseReason(CloseReason.ConnectionReset);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ConnectionAbortedException)
            {
                // Keepalive gave up on a vanished peer (ETIMEDOUT), or the transport was torn down under us.
                SetCloseReason(CloseReason.ConnectionLost);
            }
            catch (Exception ex)
            {
                ConnectionLog.Failed(_services.Logger, _member.ConnectionId, _member.RemoteAddress, _member.Nick, ex);
                SetCloseReason("internal error");
            }
            finally
            {
                // connectionLost: leave the room before anything else, so nobody queues more for this peer.
                if (joined)
                {
                    _services.Room.Leave(_member);
                    AnnounceDeparture();
                    ConnectionLog.Disconnected(_services.Logger, _member.ConnectionId, _member.RemoteAddress, _member.Nick, _closeReason ?? CloseReason.ClientClosed);
                }

                await FinishWritingAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // CatChat's own transport learns here that the session is over; Kestrel awaits the task.
            _services.Ended?.Invoke(_connection);
        }
    }

    private bool StopRequested => Volatile.Read(ref _stopRequested) != 0;

    // Created on first use, already cancelled if the session is stopping (the two fences make the race safe).
    private CancellationToken StopToken
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

    /// <summary>Asks the connection to close gracefully: stop reading, send what is queued, then close.</summary>
    public void Close(string reason)
    {
        SetCloseReason(reason);
        RequestStop();
    }

    /// <summary>The outbox overflowed: this peer does not read, so it loses its connection rather than anyone waiting.</summary>
    void IMemberConnection.OnSlowConsumer() => Abort(CloseReason.SlowConsumer);

    private void Abort(string reason)
    {
        if (reason == CloseReason.SlowConsumer)
        {
            _services.Room.Metrics.ClientDroppedAsSlow();
        }

        SetCloseReason(reason);
        _abortRequested = true;

        // Called from some other connection's broadcast: tear down on the thread pool, never inline.
        ThreadPool.UnsafeQueueUserWorkItem(
            session =>
            {
                session.RequestStop();
                session._outbox.Abort();
                session._connection.Abort(new ConnectionAbortedException(reason));
            },
            this,
            preferLocal: false);
    }

    // Close and Abort may come from other threads after this session has ended and disposed its sources.
    private static void TryCancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void SetCloseReason(string reason) => Interlocked.CompareExchange(ref _closeReason, reason, null);

    // Ends the pending read (the transport's CancelPendingRead costs an idle connection nothing, unlike a token).
    private void RequestStop()
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) != 0)
        {
            return;
        }

        _connection.Transport.Input.CancelPendingRead();
        if (Volatile.Read(ref _stopSource) is { } source)
        {
            TryCancel(source);
        }
    }

    // Written straight into its encoded bytes: every login gets one, and the strings on the way were garbage.
    private void SendWelcome()
    {
        Span<char> text = stackalloc char[512];
        if (text.TryWrite($"{ChatLine.NoticePrefix}You are {_member.Nick}. Type /nick NAME to change it, /help for the commands.", out var length))
        {
            _member.Deliver(LineEncoder.Encode(text[..length]));
        }
        else
        {
            _member.Send(ChatLine.Notice($"You are {_member.Nick}. Type /nick NAME to change it, /help for the commands."));
        }
    }

    private bool OnLineTooLong()
    {
        _services.Room.Metrics.LineTooLong();
        _member.Send(ChatLine.Error(string.Create(
            CultureInfo.InvariantCulture, $"Line too long: the limit is {_services.Options.MaxLineBytes} bytes. It was not sent.")));
        return true;
    }

    private async ValueTask<bool> OnLineReceivedAsync(string text, long receivedAt)
    {
        RestartIdleTimer();
        if (!_sawFirstLine)
        {
            _sawFirstLine = true;
            if (HttpRequestSniffer.LooksLikeHttp(text))
            {
                // A browser tricked into talking to us: close unannounced, without acting on anything it sent.
                _abortRequested = true;
                SetCloseReason(CloseReason.HttpRequest);
                return false;
            }

            AnnounceJoin();
        }

        var command = CommandParser.Parse(text);
        if (command.Kind == CommandKind.Empty)
        {
            return true;
        }

        var takenAt = _services.Time.GetTimestamp();
        var delay = _floodGate.Take(_senderPaused);
        _senderPaused = false;
        if (delay > TimeSpan.Zero)
        {
            _services.Room.Metrics.LineDelayedByFloodControl();
            if (_floodGate.FloodingTooLong)
            {
                _services.Room.Metrics.ClientDroppedForFlood();
                _member.Send(ChatLine.Error("Excess flood: you kept sending faster than the limit. Disconnected."));
                SetCloseReason(CloseReason.ExcessFlood);
                return false;
            }

            if (_floodGate.JustStartedThrottling)
            {
                _member.Send(ChatLine.Error(string.Create(
                    CultureInfo.InvariantCulture,
                    $"You are sending too fast: your lines are delayed to {_services.Options.FloodLinesPerSecond} per second.")));
            }

            // Read nothing meanwhile: the sender's own TCP window fills and pushes back.
            // Count the wait from when the token was taken, not from when the timer starts.
            var remaining = delay - _services.Time.GetElapsedTime(takenAt);
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, _services.Time, StopToken).ConfigureAwait(false);
            }
        }

        return await ExecuteAsync(command, receivedAt).ConfigureAwait(false);
    }

    private void RestartIdleTimer()
    {
        if (_services.Options.IdleTimeout <= TimeSpan.Zero)
        {
            return;
        }

        if (_idleTimer is null)
        {
            _idleTimer = _services.Time.CreateTimer(
                static session => ((ChatSession)session!).Close(CloseReason.IdleTimeout), this, _services.Options.IdleTimeout, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _idleTimer.Change(_services.Options.IdleTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task FinishWritingAsync()
    {
        var drained = _outbox.CompleteAsync();
        if (_abortRequested)
        {
            _outbox.Abort();
            _connection.Abort(new ConnectionAbortedException(_closeReason ?? "aborted"));
        }

        try
        {
            await drained.WaitAsync(FinalFlushTimeout, _services.Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The peer would not read what was left; nothing more is owed to it.
            _outbox.Abort();
        }
        finally
        {
            _joinAnnouncementTimer?.Dispose();
            _idleTimer?.Dispose();
            Volatile.Read(ref _stopSource)?.Dispose();
        }
    }
}
