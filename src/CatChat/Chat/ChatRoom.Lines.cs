using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.Chat;

/// <summary>What members say: a line or an action goes to the sender's current room, its history, the live events and the other nodes.</summary>
public sealed partial class ChatRoom
{
    /// <summary>A chat line from <paramref name="sender"/> to everyone else in their current room; false when they are in none.</summary>
    public bool Say(ChatMember sender, string text, long receivedAt) =>
        sender.CurrentRoom is { } room && SayIn(room, sender, text, action: false, receivedAt) is not null;

    /// <summary>An action (<c>/me</c>) from <paramref name="sender"/> to everyone else in their current room; false when they are in none.</summary>
    public bool Act(ChatMember sender, string action, long receivedAt) =>
        sender.CurrentRoom is { } room && SayIn(room, sender, action, action: true, receivedAt) is not null;

    /// <summary>
    /// A line or an action from <paramref name="sender"/> to everyone else in <paramref name="room"/>, one of the
    /// sender's rooms (an IRC client names the room each time). IRC formatting codes in <paramref name="text"/> reach
    /// IRC clients; everywhere else the text goes without them. Returns what the others were told (an IRC client's
    /// echo is the same), or null when the sender is not in the room.
    /// </summary>
    public Delivery? SayIn(Room room, ChatMember sender, string text, bool action, long receivedAt, bool notice = false, string? clientTags = null)
    {
        if (Array.IndexOf(sender.RoomArray, room) < 0 || !room.MaySpeak(sender))
        {
            return null;
        }

        var kind = action ? HistoryKind.Action : HistoryKind.Message;
        var plain = IrcFormatting.Strip(text);
        var line = action ? ChatLine.Action(sender.Nick, plain) : ChatLine.Message(sender.Nick, plain);
        return SayInRoom(room, sender, kind, line, plain, text, receivedAt, notice, clientTags);
    }

    /// <summary>
    /// A multiline message from <paramref name="sender"/> to the others in <paramref name="room"/>, one of the sender's
    /// rooms: each non-blank part said as a line of its own, all at one time. Returns what the others were told, the
    /// first part's delivery first (an IRC client's echo of the whole), or null when the sender may not speak there or
    /// the message is blank.
    /// </summary>
    public IReadOnlyList<Delivery>? SayLinesIn(Room room, ChatMember sender, MultilineMessage message, long receivedAt)
    {
        if (Array.IndexOf(sender.RoomArray, room) < 0 || !room.MaySpeak(sender) || message.IsBlank)
        {
            return null;
        }

        var at = _time.GetUtcNow();
        var said = new List<Delivery>(message.Parts.Count);
        foreach (var part in message.Parts)
        {
            if (string.IsNullOrWhiteSpace(part.Text))
            {
                continue; // Blank lines reach only clients that take the whole message, as part of it.
            }

            // Every line of the message has the message's id, so one redaction takes them all.
            var plain = IrcFormatting.Strip(part.Text);
            said.Add(SayInRoom(room, sender, HistoryKind.Message, ChatLine.Message(sender.Nick, plain), plain, part.Text, receivedAt,
                message.IsNotice, message.ClientTags, new MultilineParts(message, Continues: said.Count > 0, at, said.Count > 0 ? said[0].MessageId : null)));
        }

        return said;
    }

    /// <summary>
    /// A line from someone outside a room whose operators allow it (IRC's -n), to its members on this node; not stored
    /// or sent to other nodes. Null when the room takes no lines from outside.
    /// </summary>
    public Delivery? SayFromOutside(Room room, ChatMember sender, string text, bool notice)
    {
        if (room.NoOutsideMessages || room.IsBannedOrMuted(sender.Identity.ToString()) || room.Moderated)
        {
            return null;
        }

        var delivery = UnstoredLine(room, sender, text, notice);
        Metrics.LinesDeliveredTo(BroadcastTo(room, delivery, sender));
        return delivery;
    }

    /// <summary>A line in <paramref name="room"/> that is neither stored nor sent to other nodes; its sender delivers it.</summary>
    public Delivery UnstoredLine(Room room, ChatMember sender, string text, bool notice) =>
        new(DeliveryKind.Line, ChatLine.Message(sender.Nick, IrcFormatting.Strip(text)))
        {
            Nick = sender.Nick,
            From = sender.Identity,
            Room = room,
            RoomName = room.Name,
            Text = text,
            IsNotice = notice,
            At = _time.GetUtcNow(),
        };

    /// <summary>Tags alone (IRC's TAGMSG) from <paramref name="sender"/> to the others in one of their rooms, on this node; null when not in it.</summary>
    public Delivery? TagIn(Room room, ChatMember sender, string clientTags)
    {
        if (Array.IndexOf(sender.RoomArray, room) < 0)
        {
            return null;
        }

        var delivery = TagDelivery(sender, clientTags, room: room);
        BroadcastTo(room, delivery, sender);
        return delivery;
    }

    private Delivery SayInRoom(Room room, ChatMember sender, HistoryKind kind, string line, string text, string formatted, long receivedAt, bool notice, string? clientTags,
        MultilineParts? multiline = null)
    {
        sender.CountLineSent();
        var delivery = new Delivery(kind == HistoryKind.Action ? DeliveryKind.Action : DeliveryKind.Line, line)
        {
            Nick = sender.Nick,
            From = sender.Identity,
            Room = room,
            RoomName = room.Name,
            Text = formatted,
            At = multiline?.At ?? _time.GetUtcNow(),
            IsNotice = notice,
            ClientTags = clientTags,
            Multiline = multiline?.Message,
            ContinuesMultiline = multiline?.Continues ?? false,
            MessageId = multiline?.MessageId ?? MessageIds.Next(),
        };
        Metrics.LinesDeliveredTo(BroadcastTo(room, delivery, sender));
        Metrics.BroadcastLatency.Record(_time.GetElapsedTime(receivedAt));
        var eventKind = kind == HistoryKind.Action ? ChatEventKind.Action : ChatEventKind.Message;
        if (room.IsDefault)
        {
            // The default room's lines are the chat's history, kept in the database too.
            Record(kind, sender.Nick, text, delivery.MessageId);
        }
        else
        {
            // Other rooms' lines are filed under their room, never in the default room's history.
            var entry = new HistoryEntry(_time.GetUtcNow(), kind, sender.Nick, text, room.HistoryKey, delivery.MessageId);
            room.Recent.Add(entry);
            _history?.Add(entry);
        }

        Publish(eventKind, nick: sender.Nick, text: text, room: room.Name);
        if (Backplane.IsClustered)
        {
            // Checked first: a single node should not build a message for nobody on every line. Lines of other rooms
            // travel as kinds of their own, which a node that knows no rooms drops rather than shows to everyone.
            var message = room.IsDefault
                ? new ClusterMessage(kind == HistoryKind.Action ? ClusterMessageKind.Act : ClusterMessageKind.Say) { Nick = sender.Nick, Text = formatted, MessageId = delivery.MessageId }
                : new ClusterMessage(kind == HistoryKind.Action ? ClusterMessageKind.RoomAct : ClusterMessageKind.RoomSay)
                {
                    Nick = sender.Nick,
                    Text = formatted,
                    Room = room.Name,
                    MessageId = delivery.MessageId,
                };
            Backplane.Publish(multiline is not { } part ? message
                : part.Continues ? message with { ContinuesMultiline = true }
                : message with { Parts = [.. part.Message.Parts.Select(p => p.Text)], ConcatParts = ConcatIndexes(part.Message) });
        }

        return delivery;
    }

    private static int[]? ConcatIndexes(MultilineMessage message)
    {
        var indexes = Enumerable.Range(0, message.Parts.Count).Where(i => message.Parts[i].Concat).ToArray();
        return indexes.Length == 0 ? null : indexes;
    }

    // Which multiline message a line is a part of, whether an earlier part went before it, and the time and (after the
    // first part) the message id they all share.
    private readonly record struct MultilineParts(MultilineMessage Message, bool Continues, DateTimeOffset At, string? MessageId);
}
