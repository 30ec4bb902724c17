namespace CatChat.Api;

// The JSON shapes of the REST API (camelCase on the wire).

/// <summary><c>GET /api/users</c>: the count for anyone, the list for an admin.</summary>
public sealed record UsersResponse(int Users, IReadOnlyList<ConnectedUser>? Connected);

/// <summary>One connected user, as an admin sees them.</summary>
public sealed record ConnectedUser(string Nick, string Address, DateTimeOffset ConnectedSince, long LinesSent);

/// <summary><c>GET /api/banner</c>; lines are separated by <c>\n</c>.</summary>
public sealed record BannerResponse(string Banner);

/// <summary><c>POST</c>/<c>PUT /api/banner</c>.</summary>
public sealed record BannerRequest(string? Banner);

/// <summary>The answer to a successful change: <c>{"status": "SUCCESS"}</c> and what was stored.</summary>
public sealed record StatusResponse(string Status, string? Banner = null)
{
    public static StatusResponse Success(string? banner = null) => new("SUCCESS", banner);
}

/// <summary><c>POST /api/users/{nick}/kick</c>; the reason is optional.</summary>
public sealed record KickRequest(string? Reason);

/// <summary><c>POST /api/announce</c>.</summary>
public sealed record AnnounceRequest(string? Message);

/// <summary><c>POST /api/session</c>: sign in to the dashboard with the admin token.</summary>
public sealed record SignInRequest(string? Token);

/// <summary><c>GET /api/session</c>: whether this browser is signed in, and its anti-forgery token.</summary>
public sealed record SessionResponse(bool Authenticated, string? CsrfToken);

/// <summary>The periodic <c>stats</c> event of <c>GET /api/events</c>.</summary>
public sealed record StatsEvent(DateTimeOffset Time, int Users, long LinesReceived, long LinesDelivered);
