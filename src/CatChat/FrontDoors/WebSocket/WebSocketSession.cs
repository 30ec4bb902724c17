using System.Buffers;
using System.Globalization;
using System.Text;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Sessions;
using Microsoft.AspNetCore.Connections;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// The web chat's protocol (the talk's Protocol): JSON messages in, JSON messages out, one per line of the connection
/// <see cref="WebSocketConnection"/> makes of the socket. It sends the banner (connectionMade), joins under the nickname
/// the visitor picks, acts on each message (lineReceived) and announces the departure (connectionLost), in the loop and
/// with the limits its base class shares with every front door. What the chat delivers it renders as JSON, once per
/// broadcast for every browser.
/// </summary>
internal sealed partial class WebSocketSession : ChatSession
{
    /// <summary>The front door's name, as /api/users and the dashboard show it.</summary>
    public const string Door = "web";

    // A message carries its text in JSON: room for escaping (at most double) and the envelope around it.
    private const int EnvelopeBytes = 512;

    private readonly LineFramer _framer;
    private bool _announced;
    private string? _quitMessage;

    private readonly TimeSpan _nicknameTimeout;
    private ITimer? _nicknameDeadline;

    public WebSocketSession(ConnectionContext connection, SessionServices services, TimeSpan nicknameTimeout)
        : base(connection, services, Door)
    {
        _nicknameTimeout = nicknameTimeout;
        _framer = new LineFramer((2 * services.ChatOptions.MaxLineBytes) + EnvelopeBytes);
        Member.Renderer = WebDeliveryRenderer.Instance;
        Member.User = Door;
        Member.RealName = "web chat user";
    }

    /// <summary>True once the visitor has picked a nickname and is in the chat (read by the deadline's timer too).</summary>
    private bool Joined
    {
        get => Volatile.Read(ref _joined);
        set => Volatile.Write(ref _joined, value);
    }

    private bool _joined;

    protected override LineFramer Framer => _framer;

    // connectionMade: the banner; the visitor joins with their first "hello".
    protected override bool ConnectionMade()
    {
        Member.Deliver(WebJson.Banner(Chat.Banner.Lines, ChatOptions.NeedsPassword));
        _nicknameDeadline = Time.CreateTimer(static state => ((WebSocketSession)state!).NicknameDeadlinePassed(), this, _nicknameTimeout, Timeout.InfiniteTimeSpan);
        return true;
    }

    // A socket that never picks a nickname would hold a place under the connection caps for ever.
    private void NicknameDeadlinePassed()
    {
        if (!Joined)
        {
            SendError("timeout", string.Create(CultureInfo.InvariantCulture, $"No nickname picked within {_nicknameTimeout.TotalSeconds:0} seconds: closing."));
            Close("Nickname not picked in time");
        }
    }

    protected override void OnFinished() => _nicknameDeadline?.Dispose();

    protected override bool LineTooLong()
    {
        Chat.Metrics.LineTooLong();
        SendError("too-long", string.Create(CultureInfo.InvariantCulture, $"Message too long: the limit is {_framer.MaxLineBytes} bytes. It was not acted on."));
        return true;
    }

    protected override async ValueTask<bool> LineReceivedAsync(ReadOnlySequence<byte> line, long receivedAt)
    {
        // Every message counts against flood control, the ones it refuses too: garbage is no cheaper to send.
        switch (TakeFloodToken(out var wait))
        {
            case FloodVerdict.Disconnect:
                SendError("flood", "Excess flood: you kept sending faster than the limit. Disconnected.");
                return false;
            case FloodVerdict.StartedThrottling:
                SendError("flood", string.Create(
                    CultureInfo.InvariantCulture, $"You are sending too fast: your messages are delayed to {Options.FloodLinesPerSecond} per second."));
                break;
        }

        await WaitAsync(wait).ConfigureAwait(false);
        if (line.Length == 1 && line.FirstSpan[0] == WebSocketConnection.BinaryMarker)
        {
            SendError("binary", "Binary messages are not accepted: send JSON as text.");
            return true;
        }

        if (WebCommand.Parse(line, out var error) is not { } command)
        {
            SendError("bad-message", error!);
            return true;
        }

        return await ExecuteAsync(command, receivedAt).ConfigureAwait(false);
    }

    protected override void OnLeft()
    {
        if (!_announced || Chat.IsShuttingDown)
        {
            return;
        }

        var reason = CloseReason ?? CloseReasons.ClientClosed;
        var notice = reason == CloseReasons.Quit
            ? $"{Member.Nick} has quit" + (string.IsNullOrEmpty(_quitMessage) ? string.Empty : $" ({_quitMessage})")
            : $"{Member.Nick} has left ({reason})";
        Chat.AnnounceLeave(Member, notice, reason == CloseReasons.Quit && !string.IsNullOrEmpty(_quitMessage) ? $"quit: {_quitMessage}" : reason);
    }

    private void SendError(string code, string text) => Member.Deliver(WebJson.Error(code, text));

    private void SendNotice(string text) => Member.Deliver(WebJson.Notice(text));

    // The text a user typed, as every front door cleans it (no control characters or escape sequences), within the
    // line limit; null (and the user told) when it is too long.
    private string? Clean(string text)
    {
        var clean = TextSanitizer.Sanitize(text);
        if (Encoding.UTF8.GetByteCount(clean) > ChatOptions.MaxLineBytes)
        {
            SendError("too-long", string.Create(CultureInfo.InvariantCulture, $"Line too long: the limit is {ChatOptions.MaxLineBytes} bytes. It was not sent."));
            return null;
        }

        return clean;
    }
}
