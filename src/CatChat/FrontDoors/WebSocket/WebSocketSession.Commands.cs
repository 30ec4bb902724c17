using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Sessions;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>What each browser message does: the same calls on the chat that netcat's commands make.</summary>
internal sealed partial class WebSocketSession
{
    private const int MaxNamesListed = 1000;
    private const int HistoryPageLines = 50;
    private const string NoRoom = "You are in no room: join one first.";

    // The times a "before" may name: DateTimeOffset's range.
    private static readonly long EarliestMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long LatestMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    // Returns false when the session must read no further.
    private async ValueTask<bool> ExecuteAsync(WebCommand command, long receivedAt)
    {
        if (command.Kind == WebCommandKind.Hello)
        {
            // A wrong password ends the socket after a pause, so each guess costs a connection held for a while.
            if (!Joined && !ChatOptions.AdmitsPassword(command.Password))
            {
                SendError("password", command.Password is null ? "This chat needs a password: send it in hello's \"password\"." : "Wrong password.");
                return await CloseForWrongPasswordAsync().ConfigureAwait(false);
            }

            return Hello(command.Nick!);
        }

        if (!Joined)
        {
            if (command.Kind == WebCommandKind.Quit)
            {
                SetCloseReason(CloseReasons.Quit);
                return false;
            }

            SendError("not-joined", "Pick a nickname first: {\"type\":\"hello\",\"nick\":\"...\"}.");
            return true;
        }

        switch (command.Kind)
        {
            case WebCommandKind.Say:
            case WebCommandKind.Me:
                Say(command.Text!, action: command.Kind == WebCommandKind.Me, receivedAt);
                return true;
            case WebCommandKind.Join:
                JoinRoom(command.Room!);
                return true;
            case WebCommandKind.Part:
                PartRoom(command.Room, command.Text ?? string.Empty);
                return true;
            case WebCommandKind.Msg:
                SendPrivate(command.To!, command.Text!);
                return true;
            case WebCommandKind.Nick:
                await ChangeNickAsync(command.Nick!).ConfigureAwait(false);
                return true;
            case WebCommandKind.Rooms:
                Member.Deliver(WebJson.Rooms(Chat.RoomDirectoryFor(Member).Take(MaxNamesListed)));
                return true;
            case WebCommandKind.Who:
                ListMembers(command.Room);
                return true;
            case WebCommandKind.Topic:
                await SetTopicAsync(command.Room, command.Text!).ConfigureAwait(false);
                return true;
            case WebCommandKind.History:
                await SendEarlierLinesAsync(command.Room, command.Cursor, command.Before).ConfigureAwait(false);
                return true;
            case WebCommandKind.Redact:
                Redact(command.Room, command.Id!, command.Text);
                return true;
            default:
                _quitMessage = command.Text is null ? null : TextSanitizer.Sanitize(command.Text);
                SendNotice("Goodbye!");
                SetCloseReason(CloseReasons.Quit);
                return false;
        }
    }

    // The visitor picks a nickname: nick rules and the one namespace are the chat's, as for every front door.
    private bool Hello(string nick)
    {
        if (Joined)
        {
            SendError("already-joined", $"You are already in the chat as {Member.Nick}; send {{\"type\":\"nick\"}} to change your nickname.");
            return true;
        }

        nick = TextSanitizer.Sanitize(nick).Trim();
        if (Chat.NicknamePolicy.Validate(nick) is { } invalid)
        {
            SendError("nick-invalid", $"Cannot use {nick}: {invalid}.");
            return true;
        }

        switch (TryJoin(nick, enterDefaultRoom: true))
        {
            case JoinOutcome.NickTaken:
                SendError("nick-taken", $"Cannot use {nick}: it is taken.");
                return true;
            case JoinOutcome.ShuttingDown:
                SendNotice("Server is shutting down. Goodbye!");
                return false;
        }

        Joined = true;

        var current = Member.CurrentRoom;
        Member.Deliver(WebJson.Welcome(Member.Nick, current?.Name, ChatOptions.MaxLineBytes));
        if (current is not null)
        {
            SendRoom(current);
        }

        // After the visitor has their own view of the room: the others hear of them now.
        if (ChatOptions.PresenceNotices)
        {
            _announced = true;
            Chat.AnnounceJoin(Member);
        }

        return true;
    }

    // The sender sees their own line as everyone else does (the same delivery, so the same time), which a page
    // needs to show it in order and to recognise it in the history after a reconnect.
    private void Say(string text, bool action, long receivedAt)
    {
        if (!action && text.Contains('\n', StringComparison.Ordinal))
        {
            SayLines(text, receivedAt); // WebSocketSession.Lines.cs
            return;
        }

        if (Clean(text) is not { } clean)
        {
            return;
        }

        var room = Member.CurrentRoom;
        var delivery = room is null ? null : Chat.SayIn(room, Member, clean, action, receivedAt);
        if (delivery is null)
        {
            SendError("cannot-speak", room is null ? NoRoom : $"You cannot speak in {room.Name} now. Your line was not sent.");
            return;
        }

        Member.Deliver(delivery);
    }

    // Joining a room one is already in makes it current: the page switches rooms this way.
    private void JoinRoom(string name)
    {
        var error = Chat.JoinRoom(Member, name.Trim(), ChatOptions.PresenceNotices, out var room, out var already);
        if (error is not null)
        {
            SendError("room", error);
            return;
        }

        // A switch sends no history: the page has seen the room's lines, and the history now holds notices (its own
        // arrival) that it was never shown live.
        SendRoom(room!, withHistory: !already);
    }

    private void PartRoom(string? name, string reason)
    {
        var error = Chat.PartRoom(Member, name, TextSanitizer.Sanitize(reason), ChatOptions.PresenceNotices, out var room);
        if (error is not null)
        {
            SendError("room", error);
            return;
        }

        Member.Deliver(WebJson.Parted(room!.Name, Member.CurrentRoom?.Name));
    }

    // False when it was not sent (the user is told why).
    private bool SendPrivate(string to, string text)
    {
        if (text.Contains('\n', StringComparison.Ordinal))
        {
            return SendPrivateLines(to, text); // WebSocketSession.Lines.cs
        }

        if (Clean(text) is not { } clean)
        {
            return false;
        }

        var (recipient, error) = Chat.SendPrivate(Member, to.Trim(), clean);
        if (error is not null)
        {
            SendError("msg", error);
            return false;
        }

        if (ChatOptions.HistoryPrivate)
        {
            Chat.RecordPrivate(Member, recipient!, clean);
        }

        return true;
    }

    private async Task ChangeNickAsync(string nick)
    {
        nick = TextSanitizer.Sanitize(nick).Trim();
        if (string.Equals(nick, Member.Nick, StringComparison.Ordinal))
        {
            return;
        }

        // Everyone, the renamed included, is told by the chat's own notice.
        var refusal = await Chat.TryRenameAsync(Member, nick, StopToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            SendError("nick-invalid", $"Cannot change nickname to {nick}: {refusal}.");
        }
    }

    private void ListMembers(string? roomName)
    {
        var name = string.IsNullOrWhiteSpace(roomName) ? Member.CurrentRoom?.Name : roomName.Trim();
        if (name is null || Chat.ListingOf(name) is not { } room || Chat.IsHiddenFrom(room.Name, Member))
        {
            SendError("room", name is null ? NoRoom : $"No such room: {name}.");
            return;
        }

        Member.Deliver(WebJson.Members(room.Name, [.. Chat.NicksIn(room.Name).Take(MaxNamesListed)]));
    }

    // The room of the user's own that a message names, or their current one; null (and the user told) when there is none.
    private Room? MyRoomNamedOrCurrent(string? roomName)
    {
        var room = string.IsNullOrWhiteSpace(roomName) ? Member.CurrentRoom : FindMyRoom(roomName.Trim());
        if (room is null)
        {
            SendError("room", string.IsNullOrWhiteSpace(roomName) ? NoRoom : $"You are not in {roomName.Trim()}.");
        }

        return room;
    }

    // The room named, or the current one; everyone in it (the setter too) hears of the new topic from the chat.
    // Taking back a line: its author's or, as the room's operator, anyone's; everyone in the room is told (a page
    // greys the line out), IRC clients that follow redactions too.
    private void Redact(string? roomName, string id, string? reason)
    {
        if (MyRoomNamedOrCurrent(roomName) is not { } room)
        {
            return;
        }

        var why = string.IsNullOrWhiteSpace(reason) ? null : TextSanitizer.Sanitize(reason.Trim());
        switch (Chat.Redact(room, Member, id, why))
        {
            case RedactionOutcome.UnknownMessage:
                SendError("unknown-message", $"That message is not among the recent lines of {room.Name}, so it cannot be deleted.");
                break;
            case RedactionOutcome.Forbidden:
                SendError("forbidden", $"Only its author or an operator of {room.Name} may delete a message.");
                break;
            case RedactionOutcome.NotInRoom:
                SendError("room", $"You are not in {room.Name}.");
                break;
        }
    }

    private async Task SetTopicAsync(string? roomName, string text)
    {
        if (MyRoomNamedOrCurrent(roomName) is not { } room)
        {
            return;
        }

        var topic = TextSanitizer.Sanitize(text).Trim();
        if (topic.Length > Room.MaxTopicLength)
        {
            SendError("too-long", $"A topic has at most {Room.MaxTopicLength} characters. It was not set.");
            return;
        }

        switch (await ChangeTopicAsync(room, topic).ConfigureAwait(false))
        {
            case TopicChange.NotOperator:
                SendError("topic-locked", $"The topic of {room.Name} is locked: only its operators can change it.");
                break;
            case TopicChange.StoreUnavailable:
                SendError("unavailable", "The topic cannot be stored right now; try again later.");
                break;
        }
    }

    // A page of a room's earlier lines (the user's rooms only): before a cursor from the last page, or at and before a
    // time (the oldest line the page has), from the database; without one, from what the room remembers. Private
    // messages stay out.
    private async Task SendEarlierLinesAsync(string? roomName, string? cursorText, long? beforeMilliseconds)
    {
        if (MyRoomNamedOrCurrent(roomName) is not { } room)
        {
            return;
        }

        HistoryCursor? from = null;
        if (cursorText is not null)
        {
            if (!HistoryCursor.TryParse(cursorText, out var parsed))
            {
                SendError("bad-message", "That \"cursor\" is not one the server gave: pass a history message's cursor back unchanged.");
                return;
            }

            from = parsed;
        }
        else if (beforeMilliseconds is { } milliseconds)
        {
            if (milliseconds < EarliestMilliseconds || milliseconds >= LatestMilliseconds)
            {
                SendError("bad-message", "\"before\" must be a time in milliseconds since 1970, as a message's \"at\" is.");
                return;
            }

            // Up to the end of that millisecond: an "at" is the line's time cut to the millisecond, and the lines said
            // in the same one as the page's oldest must not be skipped (the page drops those it has).
            from = HistoryCursor.Before(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds + 1));
        }

        // A page must fit the send queue with room to spare, or asking for it would drop the asker as a slow reader:
        // fifty lines of 4 KiB that escape to six bytes a byte (<, &) are more than the default queue. So a page over
        // a quarter of the queue (which holds at least four of the longest lines) is asked for again, half as long.
        var budget = Options.SendQueueBytes / 4;
        for (var limit = HistoryPageLines; ; limit = Math.Max(1, limit / 2))
        {
            IReadOnlyList<HistoryEntry> lines;
            string? next = null;
            if (Store is null)
            {
                var remembered = room.Recent.Last(room.Recent.Capacity).Where(entry => from is not { } limitAt || entry.Time < limitAt.Time).ToList();
                lines = remembered[Math.Max(0, remembered.Count - limit)..];

                // Memory has no line ids: the page before is every line said before this one's oldest.
                if (lines.Count < remembered.Count)
                {
                    next = new HistoryCursor(lines[0].Time, 1).Encode();
                }
            }
            else
            {
                try
                {
                    var page = await Store.ReadHistoryPageAsync(from, limit, search: null, room.HistoryKey, StopToken).ConfigureAwait(false);
                    lines = [.. page.Lines.Where(entry => entry.Kind != HistoryKind.Private).Reverse()];
                    next = page.Next?.Encode();
                }
                catch (StoreUnavailableException)
                {
                    SendError("unavailable", "History is unavailable right now; try again later.");
                    return;
                }
            }

            var message = WebJson.History(room.Name, lines, next);
            if (message.Length <= budget || limit == 1)
            {
                Member.Deliver(message);
                return;
            }
        }
    }

    // A room's state for the page: topic, members on every node, and its recent lines (what netcat replays at login).
    private void SendRoom(Room room, bool withHistory = true)
    {
        var history = withHistory && ChatOptions.HistoryReplay > 0 ? room.Recent.Last(ChatOptions.HistoryReplay) : [];
        var members = Chat.NicksIn(room.Name);
        Member.Deliver(WebJson.RoomState(room, ReferenceEquals(Member.CurrentRoom, room), [.. members.Take(MaxNamesListed)], history));
    }
}
