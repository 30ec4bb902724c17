using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>
/// Operators and voice across nodes (IRC's @ and +): a member's status is kept by their own node, which tells the
/// others whenever it changes, so every node shows it; an operator on any node may give or take it.
/// </summary>
public sealed partial class ChatRoom
{
    /// <summary>
    /// Tells the other nodes that a member of this node has a new status in <paramref name="room"/>: by whom, and the
    /// change as IRC's MODE shows it (<c>+o</c>); without them nobody is told, as when a room's first member becomes
    /// its operator.
    /// </summary>
    public void StatusChanged(Room room, ChatMember member, string? by = null, string? change = null)
    {
        if (!Backplane.IsClustered)
        {
            return;
        }

        Backplane.MemberUpdated(member);
        PublishStatus(room, member, by, change);
    }

    // The member's record is written already; this tells the nodes listening now.
    private void PublishStatus(Room room, ChatMember member, string? by = null, string? change = null) =>
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.RoomStatus)
        {
            ConnectionId = member.ConnectionId,
            Nick = member.Nick,
            Room = room.Name,
            Status = StatusOf(room, member),
            By = change is null ? null : by,
            Text = by is null ? null : change,
        });

    /// <summary>
    /// An operator here (<paramref name="by"/>) gives or takes (<paramref name="adding"/>) a member of another node's
    /// operator status or voice (<paramref name="mode"/>, <c>o</c> or <c>v</c>): their node makes the change and tells
    /// every node, this one included.
    /// </summary>
    public void SetRemoteStatus(RemoteMember member, string roomName, char mode, bool adding, string by) =>
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.SetStatus)
        {
            Nick = member.Nick,
            Target = member.NodeId,
            Room = roomName,
            Text = (adding ? "+" : "-") + mode,
            By = by,
        });

    /// <summary>A member's status in a room as it travels: <c>o</c>, <c>v</c>, <c>ov</c> or empty.</summary>
    public static string StatusOf(Room room, ChatMember member) =>
        (room.IsOperator(member) ? "o" : string.Empty) + (room.IsVoiced(member) ? "v" : string.Empty);

    // Another node's member has a new status: remembered, and the change shown to the room's members here.
    private void ApplyRemoteStatus(ClusterMessage message)
    {
        var member = Cluster.SetStatus(message.Node, message.ConnectionId!, message.Room!, message.Status ?? string.Empty);
        if (member is not null && message.By is { } by && message.Text is { } change && FindRoom(message.Room!) is { } room)
        {
            TellModeChange(room, by, change + " " + member.Nick);
        }
    }

    // An operator of another node gives or takes the status of a member here.
    private void ApplySetStatus(ClusterMessage message)
    {
        if (FindRoom(message.Room!) is not { } room || Find(message.Nick!) is not { } member || !member.Rooms.Contains(room))
        {
            return;
        }

        var adding = message.Text![0] == '+';
        var mode = message.Text[1];
        if ((mode == 'o' ? room.IsOperator(member) : room.IsVoiced(member)) == adding)
        {
            return;
        }

        if (mode == 'o')
        {
            room.SetOperator(member, adding);
        }
        else
        {
            room.SetVoiced(member, adding);
        }

        TellModeChange(room, message.By!, message.Text + " " + member.Nick);
        StatusChanged(room, member, message.By, message.Text);
    }

    // A MODE change by someone of any node, to the room's members here.
    private void TellModeChange(Room room, string by, string change) =>
        BroadcastTo(room, new Delivery(DeliveryKind.Mode, string.Empty)
        {
            Nick = by,
            From = Find(by)?.Identity ?? RemoteIdentity(by),
            Room = room,
            RoomName = room.Name,
            Text = change,
        });
}
