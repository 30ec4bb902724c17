namespace CatChat.Chat;

/// <summary>
/// One event as it travels between nodes. The backplane stamps <see cref="Node"/>, <see cref="NodeName"/>
/// and <see cref="Seq"/> when it publishes; fields a kind does not use are null.
/// </summary>
public sealed record ClusterMessage(ClusterMessageKind Kind)
{
    /// <summary>The sending node's id, unique per process.</summary>
    public string Node { get; init; } = string.Empty;

    /// <summary>The sending node's name, as operators know it.</summary>
    public string NodeName { get; init; } = string.Empty;

    /// <summary>
    /// 1, 2, 3... per sending node on its own channel, where a gap means messages were lost. A room's line counts
    /// on another sequence, shared by all the node's rooms: see <see cref="Prev"/>.
    /// </summary>
    public long Seq { get; init; }

    /// <summary>
    /// On a room's channel: the <see cref="Seq"/> of the sender's previous message on that channel, or 0 when the
    /// sender starts afresh there; a receiver that heard another last has missed some.
    /// </summary>
    public long Prev { get; init; }

    /// <summary>The member's connection id on its node (join, leave, nick).</summary>
    public string? ConnectionId { get; init; }

    public string? Nick { get; init; }

    public string? NewNick { get; init; }

    /// <summary>A chat line, action, announcement, private message, or a join or leave notice (none: a quiet one).</summary>
    public string? Text { get; init; }

    public string? Reason { get; init; }

    public string? By { get; init; }

    /// <summary>The recipient's nickname of a private message.</summary>
    public string? To { get; init; }

    /// <summary>The node a private message or kick is for.</summary>
    public string? Target { get; init; }

    public string? Address { get; init; }

    public DateTimeOffset? Since { get; init; }

    public int? Users { get; init; }

    public IReadOnlyList<string>? Lines { get; init; }

    /// <summary>A line's or private message's id (IRCv3 <c>msgid</c>), the same on every node; for a redaction, the one it takes back.</summary>
    public string? MessageId { get; init; }

    /// <summary>On a multiline message's first line: every line of it, blank ones too (the others follow as lines of their own).</summary>
    public IReadOnlyList<string>? Parts { get; init; }

    /// <summary>On a multiline message's first line: which of <see cref="Parts"/> continue the line before them.</summary>
    public IReadOnlyList<int>? ConcatParts { get; init; }

    /// <summary>A line of a multiline message after its first (clients that take the whole got it with the first).</summary>
    public bool ContinuesMultiline { get; init; }

    /// <summary>The room of a line said in a room other than the default one, of a topic, or of a join or part.</summary>
    public string? Room { get; init; }

    /// <summary>The front door a member who arrives came through (see <see cref="ChatMember.Door"/>).</summary>
    public string? Door { get; init; }

    /// <summary>The user part of the IRC identity of a member who arrives (see <see cref="ChatMember.User"/>).</summary>
    public string? User { get; init; }

    /// <summary>The rooms a member who arrives is in.</summary>
    public IReadOnlyList<string>? Rooms { get; init; }

    /// <summary>A room's modes, as every node is to hold them.</summary>
    public RoomModes? Modes { get; init; }

    /// <summary>A member's status in a room: <c>o</c> for an operator, <c>v</c> for voice, both, or empty.</summary>
    public string? Status { get; init; }
}
