namespace CatChat.Chat;

/// <summary>What one node tells the others over the backplane.</summary>
public enum ClusterMessageKind
{
    Say,
    Act,

    Join,
    Leave,
    Nick,
    Announce,
    Banner,

    /// <summary>A private message for a user on <see cref="ClusterMessage.Target"/>.</summary>
    Private,

    /// <summary>An administrator's kick of a user on <see cref="ClusterMessage.Target"/>.</summary>
    Kick,

    /// <summary>The node is alive, with this many users.</summary>
    Heartbeat,

    /// <summary>The node is shutting down: its users leave with it.</summary>
    Bye,

    /// <summary>A chat line in a room other than the default one (its name in <see cref="ClusterMessage.Room"/>).</summary>
    RoomSay,

    /// <summary>An action in a room other than the default one.</summary>
    RoomAct,

    /// <summary>An administrator's announcement to one room.</summary>
    RoomAnnounce,

    /// <summary>A member joined a room: every node counts them, and (with a <see cref="ClusterMessage.Text"/>) its members are told.</summary>
    RoomJoin,

    /// <summary>A member left a room (<see cref="ClusterMessage.Reason"/>, why): its members on every node are told.</summary>
    RoomPart,

    /// <summary>A room's topic was set: every node remembers it, and the room's members are told.</summary>
    Topic,

    /// <summary>
    /// A private message found nobody called <see cref="ClusterMessage.Nick"/> on the recipient's node (they left or
    /// renamed while it travelled): its sender, <see cref="ClusterMessage.To"/> on <see cref="ClusterMessage.Target"/>, is told.
    /// </summary>
    Undelivered,

    /// <summary>A room's shared modes (<see cref="ClusterMessage.Modes"/>), with the change that made them as <see cref="ClusterMessage.Text"/>.</summary>
    RoomModes,

    /// <summary>A node that has just joined, or rejoined after a split, asks the others for the modes of their rooms.</summary>
    ModesWanted,

    /// <summary>
    /// <see cref="ClusterMessage.Nick"/> invites <see cref="ClusterMessage.To"/>, a user of <see cref="ClusterMessage.Target"/>,
    /// to <see cref="ClusterMessage.Room"/>.
    /// </summary>
    Invite,

    /// <summary>
    /// A member of the sending node is now of <see cref="ClusterMessage.Status"/> in <see cref="ClusterMessage.Room"/>;
    /// with <see cref="ClusterMessage.By"/>, whose change (<see cref="ClusterMessage.Text"/>, as <c>+o</c>) it was.
    /// </summary>
    RoomStatus,

    /// <summary>
    /// An operator (<see cref="ClusterMessage.By"/>) gives or takes <see cref="ClusterMessage.Text"/> (<c>+o</c>, <c>-v</c>...)
    /// of <see cref="ClusterMessage.Nick"/>, a member of <see cref="ClusterMessage.Target"/>, in <see cref="ClusterMessage.Room"/>.
    /// </summary>
    SetStatus,

    /// <summary>A line of the default room taken back (IRCv3 redaction): its id, who took it back, and why.</summary>
    Redact,

    /// <summary>A line of another room taken back, on that room's channel (after the line itself).</summary>
    RoomRedact,
}
