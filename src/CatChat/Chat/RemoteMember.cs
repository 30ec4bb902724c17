using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>A user connected to another node of the cluster, as this node last heard of them, with the rooms they are in.</summary>
public sealed record RemoteMember(
    string NodeId, string NodeName, string ConnectionId, string Nick, string RemoteAddress, DateTimeOffset ConnectedAt, IReadOnlyList<string>? Rooms = null)
{
    /// <summary>The names of the rooms the member is in, in the order they joined them.</summary>
    public IReadOnlyList<string> Rooms { get; init; } = Rooms ?? [];

    /// <summary>The front door they came through on their node.</summary>
    public string Door { get; init; } = "netcat";

    /// <summary>The user part of their IRC identity.</summary>
    public string User { get; init; } = "nc";

    /// <summary>The rooms they are an operator of (IRC's @), as their node last said.</summary>
    public IReadOnlyList<string> Operating { get; init; } = [];

    /// <summary>The rooms they have voice in (IRC's +), as their node last said.</summary>
    public IReadOnlyList<string> Voiced { get; init; } = [];

    public bool IsOperatorIn(string room) => Operating.Contains(room, RoomName.Comparer);

    public bool IsVoicedIn(string room) => Voiced.Contains(room, RoomName.Comparer);

    /// <summary>How they appear in IRC's <c>nick!user@host</c>.</summary>
    public Identity Identity => new(Nick, User, Door);
}
