namespace CatChat.Api;

// The JSON shapes of the REST API (camelCase on the wire).

/// <summary>
/// <c>GET /api/users</c>: the count (of every node in a cluster) for anyone; for an admin the list, and in a
/// cluster how many are on each node.
/// </summary>
public sealed record UsersResponse(int Users, IReadOnlyList<ConnectedUser>? Connected, IReadOnlyList<NodeSummary>? Nodes = null);

/// <summary>
/// One connected user, as an admin sees them. In a cluster, <see cref="Node"/> names their node; the lines
/// sent are known only for users of the node that answers. <see cref="Door"/> is the front door they came through
/// (<c>netcat</c>, <c>irc</c>, <c>web</c>).
/// </summary>
public sealed record ConnectedUser(
    string Nick, string Address, DateTimeOffset ConnectedSince, long? LinesSent, string? Node = null, IReadOnlyList<string>? Rooms = null, string Door = "netcat");

/// <summary>One node of the cluster: its name, its users, and when it was last heard from.</summary>
public sealed record NodeSummary(string Node, string Id, int Users, bool Self, DateTimeOffset? LastSeen);

/// <summary><c>GET /api/cluster</c>: this node, the state of its link to the others, and every node.</summary>
public sealed record ClusterResponse(
    bool Clustered, string? Node, string Backplane, int Users, IReadOnlyList<NodeSummary> Nodes, BackplaneCounters? Counters);

/// <summary>The backplane's counters, as in <c>/metrics</c>.</summary>
public sealed record BackplaneCounters(
    long Published, long PublishDropped, long Received, long Rejected, long Duplicates, long Gaps, long Resyncs, long Splits, long NodesLost);

/// <summary><c>GET /api/banner</c>; lines are separated by <c>\n</c>.</summary>
public sealed record BannerResponse(string Banner);

/// <summary>The rooms with a member on any server.</summary>
public sealed record RoomsResponse(IReadOnlyList<RoomSummary> Rooms);

/// <summary>A room, how many are in it on every server, and its topic.</summary>
public sealed record RoomSummary(string Name, int Members, string Topic);

/// <summary>A room as an administrator sees it: its topic and who is in it on every server.</summary>
public sealed record RoomDetail(string Name, string Topic, IReadOnlyList<string> Members);

/// <summary>A room's new topic.</summary>
public sealed record TopicRequest(string? Topic);

/// <summary><c>POST</c>/<c>PUT /api/banner</c>.</summary>
public sealed record BannerRequest(string? Banner);

/// <summary>The answer to a successful change: <c>{"status": "SUCCESS"}</c> and what was stored.</summary>
public sealed record StatusResponse(string Status, string? Banner = null)
{
    public static StatusResponse Success(string? banner = null) => new("SUCCESS", banner);
}

/// <summary><c>POST /api/users/{nick}/kick</c>; the reason is optional.</summary>
/// <summary>Why; with <see cref="Room"/>, the user is only taken out of that room.</summary>
public sealed record KickRequest(string? Reason, string? Room = null);

/// <summary><c>POST /api/announce</c>.</summary>
/// <summary>An announcement, to everyone or to one <see cref="Room"/>.</summary>
public sealed record AnnounceRequest(string? Message, string? Room = null);

/// <summary>
/// <c>POST /api/history/{id}/redact</c>; both optional. <see cref="Room"/> is the line's room (the default room when
/// absent; the history's lower-case room key will do), <see cref="Reason"/> is shown to IRC clients that follow redactions.
/// </summary>
public sealed record RedactRequest(string? Room = null, string? Reason = null);

/// <summary>
/// The answer to a redaction: how many stored lines were deleted now (a line not yet stored is deleted once it is), and
/// whether the line was among this server's recent lines of its room.
/// </summary>
public sealed record RedactResponse(string Status, int StoredLinesDeleted, bool InRecentLines);

/// <summary><c>POST /api/session</c>: sign in to the dashboard with the admin token.</summary>
public sealed record SignInRequest(string? Token);

/// <summary><c>GET /api/session</c>: whether this browser is signed in, and its anti-forgery token.</summary>
public sealed record SessionResponse(bool Authenticated, string? CsrfToken);

/// <summary>The periodic <c>stats</c> event of <c>GET /api/events</c>.</summary>
public sealed record StatsEvent(DateTimeOffset Time, int Users, long LinesReceived, long LinesDelivered);
