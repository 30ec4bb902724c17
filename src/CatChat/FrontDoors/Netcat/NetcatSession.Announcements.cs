using CatChat.Sessions;

namespace CatChat.FrontDoors.Netcat;

/// <summary>
/// Join and leave notices. The join notice waits for the first line or a short delay, whichever comes
/// first, so a browser's HTTP request is turned away before anyone hears of it; a departure is
/// announced only for a join that was.
/// </summary>
internal sealed partial class NetcatSession
{
    private void ScheduleJoinAnnouncement()
    {
        if (!ChatOptions.PresenceNotices)
        {
            return;
        }

        if (Options.JoinAnnounceDelay <= TimeSpan.Zero)
        {
            AnnounceJoin();
            return;
        }

        _loginTimer = Time.CreateTimer(
            static state => ((NetcatSession)state!).AnnounceJoin(), this, Options.JoinAnnounceDelay, Timeout.InfiniteTimeSpan);
    }

    // The session is its own lock (nothing else can see it): a Lock object would cost every idle connection 40 bytes.
    private void AnnounceJoin()
    {
        lock (this)
        {
            if (_announcement != AnnouncementState.NotYet || !ChatOptions.PresenceNotices)
            {
                return;
            }

            _announcement = AnnouncementState.Joined;
            Chat.AnnounceJoin(Member);

            // Its work is done: an idle connection should not keep a spent timer alive.
            _loginTimer?.Dispose();
            _loginTimer = null;
        }
    }

    private void AnnounceDeparture()
    {
        lock (this)
        {
            var wasAnnounced = _announcement == AnnouncementState.Joined;
            _announcement = AnnouncementState.Left;
            if (!wasAnnounced || Chat.IsShuttingDown)
            {
                return;
            }

            var reason = CloseReason ?? CloseReasons.ClientClosed;
            var notice = reason == CloseReasons.Quit
                ? $"{Member.Nick} has quit" + (string.IsNullOrEmpty(_quitMessage) ? string.Empty : $" ({_quitMessage})")
                : $"{Member.Nick} has left ({reason})";
            Chat.AnnounceLeave(Member, notice, reason == CloseReasons.Quit && !string.IsNullOrEmpty(_quitMessage) ? $"quit: {_quitMessage}" : reason);
        }
    }
}
