using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>
/// Invitations to rooms (IRC's INVITE): kept by the room on the node where the invited user will join, so an
/// invitation to a user of another node travels there and lets them past +i and +l as it would here.
/// </summary>
public sealed partial class ChatRoom
{
    private const int MaxRoomsInvitedToFromElsewhere = 1000;
    private const int MaxInvitationsPerRoom = 1000;

    // Invitations from other nodes to rooms nobody here is in yet: the room takes them when it is made here.
    private readonly Dictionary<string, HashSet<string>> _invitationsFromElsewhere = new(RoomName.Comparer);

    /// <summary>
    /// <paramref name="by"/> invites <paramref name="nick"/> (a user of this node or, while whole, of another) to
    /// <paramref name="room"/>: the invitation is kept where they will join, and they are told.
    /// </summary>
    public void Invite(ChatMember by, Room room, string nick)
    {
        if (Find(nick) is { } local)
        {
            room.Invite(local.Nick);
            local.Deliver(InviteDelivery(by.Nick, by.Identity, room.Name, local.Nick));
        }
        else if (Backplane.State == BackplaneState.Whole && Cluster.Find(nick) is { } remote)
        {
            Backplane.Publish(new ClusterMessage(ClusterMessageKind.Invite) { Nick = by.Nick, To = remote.Nick, Target = remote.NodeId, Room = room.Name });
        }
    }

    /// <summary>The rooms <paramref name="nick"/> is invited to and has not joined yet.</summary>
    public IReadOnlyList<string> InvitationsOf(string nick)
    {
        lock (_gate)
        {
            return [.. _rooms.Values.Where(room => room.IsInvited(nick)).Select(room => room.Name)
                .Concat(_invitationsFromElsewhere.Where(invited => invited.Value.Contains(nick)).Select(invited => invited.Key))];
        }
    }

    // An invitation from another node for a user here.
    private void ApplyRemoteInvite(ClusterMessage message)
    {
        if (Find(message.To!) is not { } invitee)
        {
            return;
        }

        var name = message.Room!;
        lock (_gate)
        {
            if (_rooms.TryGetValue(name, out var room))
            {
                room.Invite(invitee.Nick);
            }
            else if (_invitationsFromElsewhere.TryGetValue(name, out var nicks))
            {
                if (nicks.Count < MaxInvitationsPerRoom)
                {
                    nicks.Add(invitee.Nick);
                }
            }
            else if (_invitationsFromElsewhere.Count < MaxRoomsInvitedToFromElsewhere)
            {
                _invitationsFromElsewhere[name] = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { invitee.Nick };
            }
        }

        invitee.Deliver(InviteDelivery(message.Nick!, RemoteIdentity(message.Nick!), name, invitee.Nick));
    }

    // A room made here takes the invitations other nodes sent for it.
    private void TakeInvitationsLocked(Room room)
    {
        if (_invitationsFromElsewhere.Remove(room.Name, out var nicks))
        {
            foreach (var nick in nicks)
            {
                room.Invite(nick);
            }
        }
    }

    private static Delivery InviteDelivery(string by, Identity from, string roomName, string target) =>
        new(DeliveryKind.Invite, ChatLine.Notice($"{by} invites you to {roomName} (/join {roomName})"))
        {
            Nick = by,
            From = from,
            RoomName = roomName,
            Target = target,
        };
}
