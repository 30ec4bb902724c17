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
internal sealed partial class ChatSession
{
    // After the read side ends, queued output (an error, a goodbye) gets this long to leave.
    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(2);

    private readonly ConnectionContext _connection;
    private readonly IChatStore? _store;
    private readonly ChatRoom _room;
    private readonly CatChatOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Outbox _outbox;
    private readonly LineFramer _framer;
    private readonly FloodGate _floodGate;
    private readonly ChatMember _member;
    private readonly CancellationTokenSource _stopReading;
    private readonly CancellationTokenSource _stopWriting;
    private readonly Lock _announcementGate = new();
    private string? _closeReason;
    private string? _quitMessage;
    private bool _abortRequested;
    private bool _sawFirstLine;
    private bool _senderPaused;
    private AnnouncementState _announcement;
    private ITimer? _joinAnnouncementTimer;

    public ChatSession(ConnectionContext connection, ChatRoom room, CatChatOptions options, TimeProvider time, ILogger logger, IChatStore? store = null)
    {
        _connection = connection;
        _store = store;
        _room = room;
        _options = options;
        _time = time;
        _logger = logger;
        _framer = new LineFramer(options.MaxLineBytes);
        _floodGate = new FloodGate(options.FloodBurst, options.FloodLinesPerSecond, options.FloodDisconnectAfter, time);
        _stopReading = CreateCancellation(time);
        _stopWriting = CreateCancellation(time);
        _outbox = new Outbox(options.SendQueueBytes, () => Abort(CloseReason.SlowConsumer), room.Metrics);
        _member = new ChatMember(
            connection.ConnectionId, PeerAddress.Describe(connection.RemoteEndPoint), time.GetUtcNow(), _outbox, Close);
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
        SocketKeepAlive.Enable(_connection, _options);
        var writer = _outbox.RunWriterAsync(_connection.Transport.Output, _stopWriting.Token);
        var joined = false;
        try
        {
            // connectionMade: the banner first, then a place in the room under a guest nickname.
            foreach (var line in _room.Banner)
            {
                _member.Send(line);
            }

            if (!_room.TryJoin(_member))
            {
                _member.Send(ChatLine.Notice("Server is shutting down. Goodbye!"));
                _closeReason = CloseReason.ServerShuttingDown;
                return;
            }

            joined = true;
            _room.Metrics.ConnectionAccepted();
            ConnectionLog.Connected(_logger, _member.ConnectionId, _member.RemoteAddress, _member.Nick);

            // Timers first, then the welcome: whoever sees the welcome may rely on them running.
            ScheduleJoinAnnouncement();
            RestartIdleTimer();
            _member.Send(ChatLine.Notice($"You are {_member.Nick}. Type /nick NAME to change it, /help for the commands."));
            ReplayRecentHistory();
            await ReadLinesAsync(_connection.Transport.Input).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopReading.IsCancellationRequested)
        {
            SetCloseReason(CloseReason.IdleTimeout); // Every other canceller names its reason first.
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
            ConnectionLog.Failed(_logger, _member.ConnectionId, _member.RemoteAddress, _member.Nick, ex);
            SetCloseReason("internal error");
        }
        finally
        {
            // connectionLost: leave the room before anything else, so nobody queues more for this peer.
            if (joined)
            {
                _room.Leave(_member);
                AnnounceDeparture();
                ConnectionLog.Disconnected(_logger, _member.ConnectionId, _member.RemoteAddress, _member.Nick, _closeReason ?? CloseReason.ClientClosed);
            }

            await FinishWritingAsync(writer).ConfigureAwait(false);
        }
    }

    /// <summary>Asks the connection to close gracefully: stop reading, send what is queued, then close.</summary>
    public void Close(string reason)
    {
        SetCloseReason(reason);
        TryCancel(_stopReading);
    }

    private void Abort(string reason)
    {
        if (reason == CloseReason.SlowConsumer)
        {
            _room.Metrics.ClientDroppedAsSlow();
        }

        SetCloseReason(reason);
        _abortRequested = true;

        // Called from some other connection's broadcast: tear down on the thread pool, never inline.
        ThreadPool.UnsafeQueueUserWorkItem(
            session =>
            {
                TryCancel(session._stopReading);
                TryCancel(session._stopWriting);
                session._connection.Abort(new ConnectionAbortedException(reason));
            },
            this,
            preferLocal: false);
    }

    // A source tied to a TimeProvider holds a timer from birth; the system clock's gets one only when CancelAfter asks.
    private static CancellationTokenSource CreateCancellation(TimeProvider time) =>
        time == TimeProvider.System ? new CancellationTokenSource() : new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);

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

    private async Task ReadLinesAsync(PipeReader input)
    {
        while (true)
        {
            var read = input.ReadAsync(_stopReading.Token);

            // Nothing was waiting: the sender has gone quiet since its last line (see FloodGate.Take).
            _senderPaused |= !read.IsCompleted;
            var result = await read.ConfigureAwait(false);
            var buffer = result.Buffer;
            var keepReading = true;
            try
            {
                while (keepReading)
                {
                    var frame = _framer.TryReadLine(ref buffer, out var line);
                    if (frame == FrameResult.NeedMoreData)
                    {
                        break;
                    }

                    if (frame == FrameResult.LineTooLong)
                    {
                        keepReading = OnLineTooLong();
                        continue;
                    }

                    var receivedAt = _time.GetTimestamp();
                    _room.Metrics.LineReceived(line.Length);
                    keepReading = await OnLineReceivedAsync(TextSanitizer.Sanitize(line), receivedAt).ConfigureAwait(false);
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (!keepReading)
            {
                return;
            }

            if (result.IsCompleted)
            {
                // A partial line without its newline is dropped: the peer is gone mid-line.
                SetCloseReason(CloseReason.ClientClosed);
                return;
            }
        }
    }

    private bool OnLineTooLong()
    {
        _room.Metrics.LineTooLong();
        _member.Send(ChatLine.Error(string.Create(
            CultureInfo.InvariantCulture, $"Line too long: the limit is {_options.MaxLineBytes} bytes. It was not sent.")));
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

        var takenAt = _time.GetTimestamp();
        var delay = _floodGate.Take(_senderPaused);
        _senderPaused = false;
        if (delay > TimeSpan.Zero)
        {
            _room.Metrics.LineDelayedByFloodControl();
            if (_floodGate.FloodingTooLong)
            {
                _room.Metrics.ClientDroppedForFlood();
                _member.Send(ChatLine.Error("Excess flood: you kept sending faster than the limit. Disconnected."));
                SetCloseReason(CloseReason.ExcessFlood);
                return false;
            }

            if (_floodGate.JustStartedThrottling)
            {
                _member.Send(ChatLine.Error(string.Create(
                    CultureInfo.InvariantCulture,
                    $"You are sending too fast: your lines are delayed to {_options.FloodLinesPerSecond} per second.")));
            }

            // Read nothing meanwhile: the sender's own TCP window fills and pushes back.
            // Count the wait from when the token was taken, not from when the timer starts.
            var remaining = delay - _time.GetElapsedTime(takenAt);
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, _time, _stopReading.Token).ConfigureAwait(false);
            }
        }

        return await ExecuteAsync(command, receivedAt).ConfigureAwait(false);
    }

    private void RestartIdleTimer()
    {
        if (_options.IdleTimeout > TimeSpan.Zero)
        {
            _stopReading.CancelAfter(_options.IdleTimeout);
        }
    }

    private async Task FinishWritingAsync(Task writer)
    {
        _outbox.Complete();
        if (_abortRequested)
        {
            _stopWriting.Cancel();
            _connection.Abort(new ConnectionAbortedException(_closeReason ?? "aborted"));
        }
        else
        {
            _stopWriting.CancelAfter(FinalFlushTimeout);
        }

        try
        {
            await writer.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionAbortedException or ConnectionResetException)
        {
            // The peer is gone or would not read; nothing more is owed to it.
        }
        finally
        {
            _joinAnnouncementTimer?.Dispose();
            _stopReading.Dispose();
            _stopWriting.Dispose();
        }
    }
}
