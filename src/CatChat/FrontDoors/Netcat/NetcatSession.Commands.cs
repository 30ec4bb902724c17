using System.Globalization;
using CatChat.Chat;
using CatChat.Protocol;

using CatChat.Sessions;

namespace CatChat.FrontDoors.Netcat;

/// <summary>What each command does.</summary>
internal sealed partial class NetcatSession
{
    private const int MaxNamesInWho = 100;

    private const int DefaultHistoryLines = 20;
    private const int MaxHistoryLines = 100;
    private const string NoRoom = "You are in no room: /join one first (/rooms lists them).";

    // Returns false when the session must read no further.
    private async ValueTask<bool> ExecuteAsync(ChatCommand command, long receivedAt)
    {
        switch (command.Kind)
        {
            case CommandKind.Say:
                if (!Chat.Say(Member, command.Text, receivedAt))
                {
                    Member.Send(ChatLine.Error(WhyNotSaid()));
                }

                return true;
            case CommandKind.Me:
                if (!Chat.Act(Member, command.Text, receivedAt))
                {
                    Member.Send(ChatLine.Error(WhyNotSaid()));
                }

                return true;
            case CommandKind.Join:
                JoinRoom(command.Text);
                return true;
            case CommandKind.Part:
                PartRoom(command.Target, command.Text);
                return true;
            case CommandKind.Rooms:
                ListRooms();
                return true;
            case CommandKind.Topic:
                await TopicAsync(command.Text).ConfigureAwait(false);
                return true;
            case CommandKind.Nick:
                await ChangeNickAsync(command.Text).ConfigureAwait(false);
                return true;
            case CommandKind.Who:
                ListUsers(command.Text);
                return true;
            case CommandKind.Msg:
                SendPrivate(command.Target!, command.Text);
                return true;
            case CommandKind.Quit:
                _quitMessage = command.Text;
                Member.Send(ChatLine.Notice("Goodbye!"));
                SetCloseReason(CloseReasons.Quit);
                return false;
            case CommandKind.Help:
                SendHelp();
                return true;
            case CommandKind.History:
                await SendHistoryAsync(command.Text).ConfigureAwait(false);
                return true;
            case CommandKind.Undo:
                Undo();
                return true;
            case CommandKind.MissingArgument:
                Member.Send(ChatLine.Error("Usage: " + CommandParser.UsageOf(command.Text)));
                return true;
            default:
                Member.Send(ChatLine.Error($"Unknown command /{command.Text}. Type /help for the commands."));
                return true;
        }
    }

    // A terminal cannot unprint a line, but everyone else's screen, the recent lines and the history can lose it.
    private void Undo()
    {
        if (Member.CurrentRoom is not { } room)
        {
            Member.Send(ChatLine.Error(NoRoom));
            return;
        }

        if (room.Recent.LastBy(Member.Nick) is not { MessageId: { } id }
            || Chat.Redact(room, Member, id, reason: null) != RedactionOutcome.Redacted)
        {
            Member.Send(ChatLine.Error($"Nothing of yours to take back among the recent lines of {room.Name}."));
            return;
        }

        Member.Send(ChatLine.Notice($"Your last line in {room.Name} was taken back."));
    }

    private async Task ChangeNickAsync(string newNick)
    {
        var oldNick = Member.Nick;
        if (string.Equals(oldNick, newNick, StringComparison.Ordinal))
        {
            Member.Send(ChatLine.Notice($"You are already {oldNick}."));
            return;
        }

        var refusal = await Chat.TryRenameAsync(Member, newNick, StopToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            Member.Send(ChatLine.Error($"Cannot change nickname to {newNick}: {refusal}."));
            return;
        }

        SessionLog.Renamed(Logger, oldNick, newNick);
    }

    // No room named: everyone online, on every server (as before rooms). A room: its members on every server.
    private void ListUsers(string roomName)
    {
        if (roomName.Length == 0)
        {
            foreach (var line in Chat.Who(MaxNamesInWho))
            {
                Member.Send(line);
            }

            return;
        }

        if (Chat.ListingOf(roomName) is not { } room || Chat.IsHiddenFrom(room.Name, Member))
        {
            Member.Send(ChatLine.Error($"No such room: {roomName}."));
            return;
        }

        var nicks = Chat.NicksIn(room.Name);
        Member.Send(ChatLine.Notice(string.Create(CultureInfo.InvariantCulture, $"{nicks.Count} in {room.Name}: {ChatRoom.NameList(nicks, MaxNamesInWho)}")));
    }

    // In no room, or (an IRC operator's modes) not allowed to speak in the current one.
    private string WhyNotSaid() =>
        Member.CurrentRoom is { } room
            ? $"You cannot speak in {room.Name} now: it is moderated, or you are banned or muted there. Your line was not sent."
            : NoRoom;

    // "/join #room KEY": a key for a room an IRC operator gave one (+k).
    private void JoinRoom(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? text : text[..space];
        var key = space < 0 ? null : text[(space + 1)..].Trim();
        var error = Chat.JoinRoom(Member, name, ChatOptions.PresenceNotices, out var room, out var already, key);
        if (error is not null)
        {
            Member.Send(ChatLine.Error(error));
            return;
        }

        if (already)
        {
            Member.Send(ChatLine.Notice($"{room!.Name} is now your current room: your lines go there."));
            return;
        }

        var count = Chat.ListingOf(room!.Name)?.Members ?? room.Count;
        var members = count == 1 ? "you are its first member" : string.Create(CultureInfo.InvariantCulture, $"{count} members");
        Member.Send(ChatLine.Notice($"You joined {room.Name} ({members}); your lines go there now. /part leaves it."));
        if (room.Topic.Length > 0)
        {
            Member.Send(ChatLine.Notice($"Topic of {room.Name}: {room.Topic}"));
        }
    }

    private void PartRoom(string? name, string reason)
    {
        var error = Chat.PartRoom(Member, name, reason, ChatOptions.PresenceNotices, out var room);
        if (error is not null)
        {
            Member.Send(ChatLine.Error(error));
            return;
        }

        var current = Member.CurrentRoom;
        Member.Send(ChatLine.Notice(current is null
            ? $"You left {room!.Name}. You are in no room now: /join one to talk."
            : $"You left {room!.Name}. Your current room is {current.Name}."));
    }

    // Every room with a member on any server, but secret ones this user is not in.
    private void ListRooms()
    {
        var rooms = Chat.RoomDirectoryFor(Member);
        Member.Send(ChatLine.Notice(rooms.Count == 1 ? "1 room:" : string.Create(CultureInfo.InvariantCulture, $"{rooms.Count} rooms:")));
        foreach (var room in rooms.Take(MaxNamesInWho))
        {
            var topic = room.Topic.Length > 0 ? " " + room.Topic : string.Empty;
            Member.Send(ChatLine.Notice(string.Create(CultureInfo.InvariantCulture, $"  {room.Name} ({room.Members}){topic}")));
        }

        if (rooms.Count > MaxNamesInWho)
        {
            Member.Send(ChatLine.Notice(string.Create(CultureInfo.InvariantCulture, $"  and {rooms.Count - MaxNamesInWho} more")));
        }
    }

    private async Task TopicAsync(string text)
    {
        if (Member.CurrentRoom is not { } room)
        {
            Member.Send(ChatLine.Error(NoRoom));
            return;
        }

        if (text.Length == 0)
        {
            Member.Send(ChatLine.Notice(room.Topic.Length > 0 ? $"Topic of {room.Name}: {room.Topic}" : $"{room.Name} has no topic."));
            return;
        }

        if (text.Length > Room.MaxTopicLength)
        {
            Member.Send(ChatLine.Error(string.Create(CultureInfo.InvariantCulture, $"A topic has at most {Room.MaxTopicLength} characters.")));
            return;
        }

        switch (await ChangeTopicAsync(room, text).ConfigureAwait(false))
        {
            case TopicChange.NotOperator:
                Member.Send(ChatLine.Error($"The topic of {room.Name} is locked: only its operators can change it."));
                break;
            case TopicChange.StoreUnavailable:
                Member.Send(ChatLine.Error("The topic cannot be stored right now; try again later."));
                break;
        }
    }

    private void SendPrivate(string targetNick, string text)
    {
        var (recipient, error) = Chat.SendPrivate(Member, targetNick, text);
        if (error is not null)
        {
            Member.Send(ChatLine.Error(error));
            return;
        }

        if (ChatOptions.HistoryPrivate)
        {
            Chat.RecordPrivate(Member, recipient!, text);
        }
    }

    private void ReplayRecentHistory()
    {
        if (ChatOptions.HistoryReplay <= 0)
        {
            return;
        }

        var lines = Chat.Recent.Last(ChatOptions.HistoryReplay);
        if (lines.Count > 0)
        {
            SendHistoryLines(lines, LastLines(lines.Count));
        }
    }

    private static string LastLines(int count, string of = "the chat") =>
        count == 1 ? $"Last line of {of}:" : string.Create(CultureInfo.InvariantCulture, $"Last {count} lines of {of}:");

    // Reads the database for this user alone: nobody else waits for it.
    private async Task SendHistoryAsync(string argument)
    {
        var count = DefaultHistoryLines;
        if (argument.Length > 0 && (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1))
        {
            Member.Send(ChatLine.Error("Usage: /history [N], N a number of lines from 1 to " + MaxHistoryLines.ToString(CultureInfo.InvariantCulture)));
            return;
        }

        count = Math.Min(count, MaxHistoryLines);
        IReadOnlyList<HistoryEntry> lines;
        var room = Member.CurrentRoom;
        var other = room is { IsDefault: false };
        try
        {
            lines = Store is null
                ? room?.Recent.Last(count) ?? Chat.Recent.Last(count)
                : (await Store.ReadHistoryAsync(before: null, count, search: null, room?.HistoryKey, StopToken).ConfigureAwait(false))
                    .Where(entry => entry.Kind != HistoryKind.Private).Reverse().ToList();
        }
        catch (StoreUnavailableException)
        {
            Member.Send(ChatLine.Error("History is unavailable right now; try again later."));
            return;
        }

        SendHistoryLines(
            lines,
            lines.Count == 0 ? (other ? $"No history in {room!.Name} yet." : "No history yet.") : other ? LastLines(lines.Count, room!.Name) : LastLines(lines.Count));
    }

    private void SendHistoryLines(IReadOnlyList<HistoryEntry> lines, string header)
    {
        Member.Send(ChatLine.Notice(header));
        foreach (var entry in lines)
        {
            var line = entry.Kind switch
            {
                HistoryKind.Message => ChatLine.Message(entry.Nick ?? "?", entry.Text),
                HistoryKind.Action => ChatLine.Action(entry.Nick ?? "?", entry.Text),
                _ => ChatLine.Notice(entry.Text),
            };
            Member.Send(ChatLine.Replayed(entry.Time, line));
        }
    }

    private void SendHelp()
    {
        Member.Send(ChatLine.Notice("Type a line to send it to everyone. Commands:"));
        foreach (var (usage, description) in CommandParser.Commands)
        {
            Member.Send(ChatLine.Notice($"  {usage,-16} {description}"));
        }
    }
}
