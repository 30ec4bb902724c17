using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>
/// Lines taken back (IRCv3 message redaction): by their author or a room operator, while the room's recent lines
/// still hold them; gone from the recent lines, the stored history and, for clients that follow redactions, the screen.
/// </summary>
public sealed partial class ChatRoom
{
    /// <summary>
    /// <paramref name="by"/> takes back the line <paramref name="messageId"/> said in <paramref name="room"/> (every
    /// line of it, for a multiline message), on every node.
    /// </summary>
    public RedactionOutcome Redact(Room room, ChatMember by, string messageId, string? reason)
    {
        if (Array.IndexOf(by.RoomArray, room) < 0)
        {
            return RedactionOutcome.NotInRoom;
        }

        // Only the recent lines say who wrote a line; an older one can no longer be checked, so it is not known.
        if (room.Recent.Find(messageId) is not { } line)
        {
            return RedactionOutcome.UnknownMessage;
        }

        if (!room.IsOperator(by) && !string.Equals(line.Nick, by.Nick, StringComparison.OrdinalIgnoreCase))
        {
            return RedactionOutcome.Forbidden;
        }

        // As long as a kick's reason may be (KICKLEN), whichever door it came through.
        reason = reason is { Length: > Room.MaxTopicLength } ? reason[..Room.MaxTopicLength] : reason;
        TakeBack(room, room.Recent, by.Identity, messageId, reason);
        if (Backplane.IsClustered)
        {
            Backplane.Publish(new ClusterMessage(room.IsDefault ? ClusterMessageKind.Redact : ClusterMessageKind.RoomRedact)
            {
                Nick = by.Nick,
                Room = room.IsDefault ? null : room.Name,
                MessageId = messageId,
                Reason = reason,
            });
        }

        return RedactionOutcome.Redacted;
    }

    /// <summary>
    /// An administrator takes back the line <paramref name="messageId"/> of the room <paramref name="roomName"/> (the
    /// default room when null), on every node, whether or not it is still among the room's recent lines: a stored line
    /// goes from the history either way. True when it was among this node's recent lines.
    /// </summary>
    public bool RedactAsAdministrator(string? roomName, string messageId, string? reason)
    {
        var isDefault = roomName is null || RoomName.Comparer.Equals(roomName, RoomLimits.DefaultRoom);
        var room = isDefault ? DefaultRoom : FindRoom(roomName!);
        var recent = isDefault ? Recent : room?.Recent;
        var known = recent?.Find(messageId) is not null;
        TakeBack(room, recent, by: null, messageId, reason);
        if (Backplane.IsClustered)
        {
            Backplane.Publish(new ClusterMessage(isDefault ? ClusterMessageKind.Redact : ClusterMessageKind.RoomRedact)
            {
                Room = isDefault ? null : roomName,
                MessageId = messageId,
                Reason = reason,
            });
        }

        return known;
    }

    // Another node's member (or, without a nick, an administrator) took a line back; that node checked they may. Every node tells its own history writer,
    // so the node that stores the line removes it after storing it, however late its writer runs.
    private void ApplyRemoteRedaction(ClusterMessage message)
    {
        var room = message.Room is null ? DefaultRoom : FindRoom(message.Room);
        var recent = message.Room is null ? Recent : room?.Recent; // None when the room has no member here.
        TakeBack(room, recent, message.Nick is null ? null : RemoteIdentity(message.Nick), message.MessageId!, message.Reason);
    }

    // By nobody: an administrator, whom IRC clients see as the server.
    private void TakeBack(Room? room, RecentHistory? recent, Identity? by, string messageId, string? reason)
    {
        recent?.Remove(messageId);
        _history?.Redact(messageId);
        if (room is null)
        {
            return;
        }

        BroadcastTo(room, new Delivery(DeliveryKind.Redacted, string.Empty)
        {
            Nick = by?.Nick,
            From = by,
            Room = room,
            RoomName = room.Name,
            Target = messageId,
            Text = reason,
            At = _time.GetUtcNow(),
        });
    }
}

/// <summary>What came of taking a line back.</summary>
public enum RedactionOutcome
{
    Redacted,

    /// <summary>The one taking it back is not in the room.</summary>
    NotInRoom,

    /// <summary>No recent line of the room has that id (never said there, or too long ago).</summary>
    UnknownMessage,

    /// <summary>Neither its author nor an operator of the room.</summary>
    Forbidden,
}
