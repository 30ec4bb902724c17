using System.Buffers;
using System.Text;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;
using CatChat.Sessions;
using Microsoft.AspNetCore.Connections;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// The IRC front door's protocol (the talk's Protocol) for one connection: registration (CAP, NICK, USER), then the
/// client commands of Modern IRC over the chat's rooms (an IRC channel is a room). <see cref="RunAsync"/> reads lines
/// until the peer or the server ends it and leaves in its finally; what the chat tells this member is worded by
/// <see cref="IrcRenderer"/>. Commands are in the other parts of this class, one file per group.
/// </summary>
internal sealed partial class IrcSession(ConnectionContext connection, SessionServices services, IrcOptions irc, DateTimeOffset serverStartedAt, IrcServerState server)
    : ChatSession(connection, services, door: "irc"), IDeliveryRenderer
{
    /// <summary>Client tags may take this much before the message itself (IRCv3 message-tags).</summary>
    private const int MaxTagBytes = 8191;

    /// <summary>What a client's own tags may take, '@' and the space after them included (IRCv3 message-tags).</summary>
    private const int MaxClientTagBytes = 4096;

    private readonly LineFramer _framer = new(MaxTagBytes + IrcLine.MaxBytes);
    private readonly IrcOptions _irc = irc;
    private readonly DateTimeOffset _serverStartedAt = serverStartedAt;
    private readonly IrcServerState _server = server;
    private int _capabilities; // IrcCapabilities, read by broadcasts on other threads.
    private bool _negotiatingCapabilities;
    private string? _pendingNick;
    private string? _userName;
    private string? _realName;
    private string? _password;
    private bool _passwordRefused;
    private bool _registered;
    private string? _quitMessage;
    private bool _countedUnregistered;
    private ITimer? _pingTimer;
    private int _heardSinceTick;
    private int _pingOutstanding;
    private long _lastActiveTicks;

    private string ServerName => _irc.ServerName;

    /// <summary>The nickname as replies address it: <c>*</c> until there is one.</summary>
    private string Me => _registered ? Member.Nick : _pendingNick ?? "*";

    protected override LineFramer Framer => _framer;

    protected override bool RefusesTlsHandshake => true;

    // connectionMade: nothing is said until the client speaks; the timer that pings it, and drops it if it never
    // registers, starts now.
    protected override bool ConnectionMade()
    {
        StartPingTimer();
        _server.ConnectionOpened(); // An unknown connection in LUSERS until it registers or ends.
        _countedUnregistered = true;
        return true;
    }

    protected override bool LineTooLong()
    {
        Volatile.Write(ref _heardSinceTick, 1);
        Chat.Metrics.LineTooLong();
        SendNumeric(IrcNumerics.InputTooLong, "Input line was too long");
        return true;
    }

    // An unregistered client leaves no member behind: its last words (ERROR) are said here rather than on leaving.
    protected override void ReadingEnded()
    {
        _pingTimer?.Dispose();
        EndUnregistered();
        GiveUpUserModes();
        StopMonitoring();
        if (!_registered)
        {
            SendErrorLine(CloseReason ?? CloseReasons.ClientClosed);
        }
    }

    public byte[]? Render(Delivery delivery, ChatMember recipient)
    {
        var rendered = IrcRenderer.Render(delivery, recipient, (IrcCapabilities)Volatile.Read(ref _capabilities), ServerName);
        return rendered is not null && HeldForLabel(delivery, rendered) ? null : rendered;
    }

    protected override void OnLeft()
    {
        if (!Chat.IsShuttingDown)
        {
            var reason = CloseReason ?? CloseReasons.ClientClosed;
            var quit = reason == CloseReasons.Quit;
            var notice = quit
                ? $"{Member.Nick} has quit" + (string.IsNullOrEmpty(_quitMessage) ? string.Empty : $" ({_quitMessage})")
                : $"{Member.Nick} has left ({reason})";
            Chat.AnnounceLeave(Member, notice, quit ? (string.IsNullOrEmpty(_quitMessage) ? "Quit" : "quit: " + _quitMessage) : reason);
        }

        SendErrorLine(CloseReason ?? CloseReasons.ClientClosed);
    }

    protected override void OnFinished() => _pingTimer?.Dispose();

    // ERROR is the last thing a client hears: why the link closes.
    private void SendErrorLine(string reason)
    {
        var why = reason == CloseReasons.Quit ? "Quit: " + (_quitMessage ?? string.Empty) : reason;
        Send(IrcLine.Build(null, "ERROR", $"Closing Link: {Me}[{Member.Door}] ({why})"));
    }

    protected override async ValueTask<bool> LineReceivedAsync(ReadOnlySequence<byte> bytes, long receivedAt)
    {
        Volatile.Write(ref _heardSinceTick, 1);
        var text = TextSanitizer.Decode(bytes);
        if (!_registered && HttpRequestSniffer.LooksLikeHttp(text))
        {
            AbortWhenDone(CloseReasons.HttpRequest);
            return false;
        }

        // Parsed before sanitising, so that a control byte is refused where it stands in a name rather than dropped
        // to leave another name; free text loses it (IrcMessageSanitizer). The one place a client's line is cleaned.
        if (IrcMessageParser.Parse(text) is not { } parsed)
        {
            return true; // An empty line: IRC ignores it.
        }

        var message = IrcMessageSanitizer.Sanitize(parsed);

        // UTF8ONLY: a registered client's line that is not UTF-8 is refused whole, with IRCv3's standard reply.
        if (_registered && !IsUtf8(bytes))
        {
            Send(IrcLine.Build(null, ServerName, "FAIL", trailingLast: true, message.Command, "INVALID_UTF8", "Message rejected: it is not UTF-8"));
            return true;
        }

        // The message without its tags must fit IRC's 512 bytes, and a client's tags 4,096 (with '@' and the space),
        // both as received: sanitising grows an invalid byte to three and drops control bytes.
        var tagBytes = message.Tags is null ? 0 : TagSectionBytes(bytes);
        if (bytes.Length - tagBytes > IrcLine.MaxBytes - 2 || tagBytes > MaxClientTagBytes)
        {
            SendNumeric(IrcNumerics.InputTooLong, "Input line was too long");
            return true;
        }

        if (message.Command is not ("PONG" or "PING") && _registered)
        {
            switch (TakeFloodToken(out var wait))
            {
                case FloodVerdict.Disconnect:
                    return false;
                case FloodVerdict.StartedThrottling:
                    SendServerNotice($"You are sending too fast: your commands are delayed to {Options.FloodLinesPerSecond} per second.");
                    break;
            }

            await WaitAsync(wait).ConfigureAwait(false);
            Volatile.Write(ref _lastActiveTicks, Time.GetUtcNow().UtcTicks);
        }

        // A multiline batch's label answers its end (IrcSession.Multiline.cs), not its start.
        var keepReading = LabelOf(message.Tags) is { } label && !OpensMultiline(message)
            ? await ExecuteLabeledAsync(message, receivedAt, label).ConfigureAwait(false) // IrcSession.Labels.cs
            : await ExecuteAsync(message, receivedAt).ConfigureAwait(false);
        return _passwordRefused ? await CloseForWrongPasswordAsync().ConfigureAwait(false) : keepReading;
    }

    // The received tags: everything up to the first space, which is counted too.
    private static long TagSectionBytes(ReadOnlySequence<byte> bytes) =>
        bytes.PositionOf((byte)' ') is { } space ? bytes.Slice(0, space).Length + 1 : bytes.Length;

    private static bool IsUtf8(ReadOnlySequence<byte> bytes) =>
        System.Text.Unicode.Utf8.IsValid(bytes.IsSingleSegment ? bytes.FirstSpan : bytes.ToArray());

    private void StartPingTimer()
    {
        Volatile.Write(ref _lastActiveTicks, Time.GetUtcNow().UtcTicks);
        var period = _irc.PingInterval;
        _pingTimer = Time.CreateTimer(static state => ((IrcSession)state!).OnPingTick(), this, period, period);
    }

    // Every interval: a silent client gets a PING, and one silent since the last PING is dropped; an unregistered one
    // past its time is dropped too.
    private void OnPingTick()
    {
        if (!_registered && Time.GetUtcNow() - Member.ConnectedAt >= _irc.RegistrationTimeout)
        {
            Close("Registration timed out");
            return;
        }

        if (Interlocked.Exchange(ref _heardSinceTick, 0) != 0)
        {
            Volatile.Write(ref _pingOutstanding, 0);
            return;
        }

        if (Interlocked.Exchange(ref _pingOutstanding, 1) != 0)
        {
            Close("Ping timeout: " + (int)(2 * _irc.PingInterval.TotalSeconds) + " seconds");
            return;
        }

        Send(IrcLine.BuildPlain(null, "PING", ServerName));
    }

    /// <summary>One line for this client, as is.</summary>
    private void Send(string line)
    {
        if (!HeldForLabel(line))
        {
            Member.Deliver(LineEncoder.Encode(line));
        }
    }

    /// <summary>A numeric reply: <c>:server NNN nick params...</c>, the last parameter trailing.</summary>
    private void SendNumeric(string numeric, params ReadOnlySpan<string> parameters) =>
        Send(IrcLine.Build(null, ServerName, numeric, trailingLast: true, [Me, .. parameters]));

    /// <summary>A numeric reply whose last parameter is trailing only when it must be (005, 004 and the like).</summary>
    private void SendNumericPlain(string numeric, params ReadOnlySpan<string> parameters) =>
        Send(IrcLine.Build(null, ServerName, numeric, trailingLast: false, [Me, .. parameters]));

    private void SendServerNotice(string text) => Send(IrcLine.Build(null, ServerName, "NOTICE", Me, text));

    /// <summary>How this client appears to others: <c>nick!user@irc</c>.</summary>
    private string Source => Member.Identity.ToString();

    /// <summary>A line from this client's own identity, with a time tag when it asked for one (its own echoes).</summary>
    private void SendFromSelf(string command, bool trailingLast, params ReadOnlySpan<string> parameters) =>
        Send(IrcLine.Build(Has(IrcCapabilities.ServerTime) ? IrcRenderer.TimeTag(Time.GetUtcNow()) : null, Source, command, trailingLast, parameters));

    private bool Has(IrcCapabilities capability) => ((IrcCapabilities)Volatile.Read(ref _capabilities) & capability) != 0;
}
