using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>What members say: a line or an action goes to the sender's current room, its history, the live events and the other nodes.</summary>
public sealed partial class ChatRoom
{
    /// <summary>A chat line from <paramref name="sender"/> to everyone else in their current room; false when they are in none.</summary>
    public bool Say(ChatMember sender, string text, long receivedAt) =>
        SayInRoom(sender, HistoryKind.Message, ChatLine.Message(sender.Nick, text), text, receivedAt);

    /// <summary>An action (<c>/me</c>) from <paramref name="sender"/> to everyone else in their current room; false when they are in none.</summary>
    public bool Act(ChatMember sender, string action, long receivedAt) =>
        SayInRoom(sender, HistoryKind.Action, ChatLine.Action(sender.Nick, action), action, receivedAt);

    private bool SayInRoom(ChatMember sender, HistoryKind kind, string line, string text, long receivedAt)
    {
        if (sender.CurrentRoom is not { } room)
        {
            return false;
        }

        sender.CountLineSent();
        Metrics.LinesDeliveredTo(BroadcastTo(room, line, sender));
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
                ? new ClusterMessage(kind == HistoryKind.Action ? ClusterMessageKind.Act : ClusterMessageKind.Say) { Nick = sender.Nick, Text = text }
                : new ClusterMessage(kind == HistoryKind.Action ? ClusterMessageKind.RoomAct : ClusterMessageKind.RoomSay) { Nick = sender.Nick, Text = text, Room = room.Name });
        }

        return true;
    }
}
