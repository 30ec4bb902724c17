using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.Chat;

/// <summary>What members say: a line or an action goes to the sender's current room, its history, the live events and the other nodes.</summary>
public sealed partial class ChatRoom
{
    /// <summary>A chat line from <paramref name="sender"/> to everyone else in their current room; false when they are in none.</summary>
    public bool Say(ChatMember sender, string text, long receivedAt) =>
        sender.CurrentRoom is { } room && SayIn(room, sender, text, action: false, receivedAt);

    /// <summary>An action (<c>/me</c>) from <paramref name="sender"/> to everyone else in their current room; false when they are in none.</summary>
    public bool Act(ChatMember sender, string action, long receivedAt) =>
        sender.CurrentRoom is { } room && SayIn(room, sender, action, action: true, receivedAt);

    /// <summary>
    /// A line or an action from <paramref name="sender"/> to everyone else in <paramref name="room"/>, one of the
    /// sender's rooms (an IRC client names the room each time). IRC formatting codes in <paramref name="text"/> reach
    /// IRC clients; everywhere else the text goes without them. False when the sender is not in the room.
    /// </summary>
    public bool SayIn(Room room, ChatMember sender, string text, bool action, long receivedAt, bool notice = false)
    {
        if (Array.IndexOf(sender.RoomArray, room) < 0)
        {
            return false;
        }

        var kind = action ? HistoryKind.Action : HistoryKind.Message;
        var plain = IrcFormatting.Strip(text);
        var line = action ? ChatLine.Action(sender.Nick, plain) : ChatLine.Message(sender.Nick, plain);
        return SayInRoom(room, sender, kind, line, plain, text, receivedAt, notice);
    }

    private bool SayInRoom(Room room, ChatMember sender, HistoryKind kind, string line, string text, string formatted, long receivedAt, bool notice)
    {
        sender.CountLineSent();
        Metrics.LinesDeliveredTo(BroadcastTo(
            room,
            new Delivery(kind == HistoryKind.Action ? DeliveryKind.Action : DeliveryKind.Line, line)
            {
                Nick = sender.Nick,
                From = sender.Identity,
                Room = room,
                RoomName = room.Name,
                Text = formatted,
                At = _time.GetUtcNow(),
                IsNotice = notice,
            },
            sender));
        Metrics.BroadcastLatency.Record(_time.GetElapsedTime(receivedAt));
        var eventKind = kind == HistoryKind.Action ? ChatEventKind.Action : ChatEventKind.Message;
        if (room.IsDefault)
        {
            // The default room's lines are the chat's history, kept in the database too.
            Record(kind, sender.Nick, text);
        }
        else
        {
            // Other rooms' lines are filed under their room, never in the default room's history.
            var entry = new HistoryEntry(_time.GetUtcNow(), kind, sender.Nick, text, room.HistoryKey);
            room.Recent.Add(entry);
            _history?.Add(entry);
        }

        Publish(eventKind, nick: sender.Nick, text: text, room: room.Name);
        if (Backplane.IsClustered)
        {
            // Checked first: a single node should not build a message for nobody on every line. Lines of other rooms
            // travel as kinds of their own, which a node that knows no rooms drops rather than shows to everyone.
            Backplane.Publish(room.IsDefault
                ? new ClusterMessage(kind == HistoryKind.Action ? ClusterMessageKind.Act : ClusterMessageKind.Say) { Nick = sender.Nick, Text = formatted }
                : new ClusterMessage(kind == HistoryKind.Action ? ClusterMessageKind.RoomAct : ClusterMessageKind.RoomSay) { Nick = sender.Nick, Text = formatted, Room = room.Name });
        }

        return true;
    }
}
