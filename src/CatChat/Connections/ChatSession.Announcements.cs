namespace CatChat.Connections;

/// <summary>
/// Join and leave notices. The join notice waits for the first line or a short delay, whichever comes
/// first, so a browser's HTTP request is turned away before anyone hears of it; a departure is
/// announced only for a join that was.
/// </summary>
internal sealed partial class ChatSession
{
    private void ScheduleJoinAnnouncement()
    {
        if (!_services.Options.PresenceNotices)
        {
            return;
        }

        if (_services.Options.JoinAnnounceDelay <= TimeSpan.Zero)
        {
            AnnounceJoin();
            return;
        }

        _joinAnnouncementTimer = _services.Time.CreateTimer(
            static state => ((ChatSession)state!).AnnounceJoin(), this, _services.Options.JoinAnnounceDelay, Timeout.InfiniteTimeSpan);
    }

    // The session is its own lock (nothing else can see it): a Lock object would cost every idle connection 40 bytes.
    private void AnnounceJoin()
    {
        lock (this)
        {
            if (_announcement != AnnouncementState.NotYet || !_services.Options.PresenceNotices)
            {
                return;
            }

            _announcement = AnnouncementState.Joined;
            _services.Room.AnnounceJoin(_member);

            // Its work is done: an idle connection should not keep a spent timer alive.
            _joinAnnouncementTimer?.Dispose();
            _joinAnnouncementTimer = null;
        }
    }

    private void AnnounceDeparture()
    {
        lock (this)
        {
            var wasAnnounced = _announcement == AnnouncementState.Joined;
            _announcement = AnnouncementState.Left;
            if (!wasAnnounced || _services.Room.IsShuttingDown)
            {
                return;
            }

            var reason = _closeReason ?? CloseReason.ClientClosed;
            var notice = reason == CloseReason.Quit
                ? $"{_member.Nick} has quit" + (string.IsNullOrEmpty(_quitMessage) ? string.Empty : $" ({_quitMessage})")
                : $"{_member.Nick} has left ({reason})";
            _services.Room.AnnounceLeave(_member, notice, reason == CloseReason.Quit && !string.IsNullOrEmpty(_quitMessage) ? $"quit: {_quitMessage}" : reason);
        }
    }
}
