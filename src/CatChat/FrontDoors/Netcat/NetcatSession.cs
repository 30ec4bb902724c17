using System.Buffers;
using System.Globalization;
using CatChat.Protocol;
using CatChat.Sessions;
using Microsoft.AspNetCore.Connections;

namespace CatChat.FrontDoors.Netcat;

/// <summary>
/// The netcat front door's protocol (the talk's Protocol): plain lines in, plain lines out. It greets and joins
/// (connectionMade), takes each line (lineReceived) and announces its departure (connectionLost), in the loop its
/// base class runs. Lines that start with a slash are commands; the rest is said to the room.
/// </summary>
internal sealed partial class NetcatSession(ConnectionContext connection, SessionServices services) : ChatSession(connection, services)
{
    private readonly LineFramer _framer = new(services.ChatOptions.MaxLineBytes);
    private string? _quitMessage;
    private bool _sawFirstLine;
    private AnnouncementState _announcement;
    private bool _awaitingPassword;

    // The login's one timer: the password's deadline while one is awaited, then the join announcement's delay.
    private ITimer? _loginTimer;

    private enum AnnouncementState
    {
        NotYet,
        Joined,
        Left,
    }

    protected override LineFramer Framer => _framer;

    protected override bool RefusesTlsHandshake => true;

    // connectionMade: the banner first, then a place in the room under a guest nickname (in a chat with a password,
    // once it is typed); the greeting leaves in one send.
    protected override bool ConnectionMade()
    {
        using var greetingAtOnce = HoldWrites();
        foreach (var line in Chat.EncodedBanner)
        {
            Member.Deliver(line);
        }

        if (ChatOptions.NeedsPassword)
        {
            AskForPassword();
            return true;
        }

        return EnterChat();
    }

    private bool EnterChat()
    {
        if (!TryJoin())
        {
            Member.Send(ChatLine.Notice("Server is shutting down. Goodbye!"));
            return false;
        }

        // Timers first, then the welcome: whoever sees the welcome may rely on them running.
        ScheduleJoinAnnouncement();
        SendWelcome();
        ReplayRecentHistory();
        return true;
    }

    protected override ValueTask<bool> LineReceivedAsync(ReadOnlySequence<byte> line, long receivedAt) =>
        OnLineReceivedAsync(TextSanitizer.Sanitize(line), receivedAt);

    protected override void OnLeft() => AnnounceDeparture();

    // Its work is done: an idle connection should not keep a spent timer alive.
    protected override void OnFinished() => _loginTimer?.Dispose();

    // Written straight into its encoded bytes: every login gets one, and the strings on the way were garbage.
    private void SendWelcome()
    {
        Span<char> text = stackalloc char[512];
        if (text.TryWrite($"{ChatLine.NoticePrefix}You are {Member.Nick}. Type /nick NAME to change it, /help for the commands.", out var length))
        {
            Member.Deliver(LineEncoder.Encode(text[..length]));
        }
        else
        {
            Member.Send(ChatLine.Notice($"You are {Member.Nick}. Type /nick NAME to change it, /help for the commands."));
        }
    }

    protected override bool LineTooLong()
    {
        Chat.Metrics.LineTooLong();
        Member.Send(ChatLine.Error(string.Create(
            CultureInfo.InvariantCulture, $"Line too long: the limit is {ChatOptions.MaxLineBytes} bytes. It was not sent.")));
        return true;
    }

    // Returns false when the session must read no further.
    private async ValueTask<bool> OnLineReceivedAsync(string text, long receivedAt)
    {
        if (!_sawFirstLine)
        {
            _sawFirstLine = true;
            if (HttpRequestSniffer.LooksLikeHttp(text))
            {
                // A browser tricked into talking to us: close unannounced, without acting on anything it sent.
                AbortWhenDone(CloseReasons.HttpRequest);
                return false;
            }

            if (!AwaitingPassword)
            {
                AnnounceJoin();
            }
        }

        if (AwaitingPassword)
        {
            return await PasswordReceivedAsync(text).ConfigureAwait(false);
        }

        var command = CommandParser.Parse(text);
        if (command.Kind == CommandKind.Empty)
        {
            return true;
        }

        switch (TakeFloodToken(out var wait))
        {
            case FloodVerdict.Disconnect:
                Member.Send(ChatLine.Error("Excess flood: you kept sending faster than the limit. Disconnected."));
                return false;
            case FloodVerdict.StartedThrottling:
                Member.Send(ChatLine.Error(string.Create(
                    CultureInfo.InvariantCulture,
                    $"You are sending too fast: your lines are delayed to {Options.FloodLinesPerSecond} per second.")));
                break;
        }

        await WaitAsync(wait).ConfigureAwait(false);
        return await ExecuteAsync(command, receivedAt).ConfigureAwait(false);
    }
}
