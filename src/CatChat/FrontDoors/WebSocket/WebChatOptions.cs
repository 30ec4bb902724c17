namespace CatChat.FrontDoors.WebSocket;

/// <summary>The web chat's settings: whether <c>/chat</c> and <c>/ws</c> are served, and which other origins may open a socket. Read at start.</summary>
public sealed class WebChatOptions
{
    /// <summary>False: <c>/chat</c> and <c>/ws</c> answer 404.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Origins (<c>https://chat.example.com</c>) whose pages may open a socket besides the server's own by a name
    /// nobody else can point here (<see cref="OriginPolicy"/>).
    /// </summary>
    public IReadOnlyList<string> AllowedOrigins { get; set; } = [];

    /// <summary>How long a socket may stay open without picking a nickname: it counts against the connection caps.</summary>
    public TimeSpan NicknameTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the server pings a browser; one that does not answer within as long again is dropped.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks one origin as the setting takes it: scheme and host, nothing else; null when it is fine.</summary>
    public static string? ValidateOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.PathAndQuery == "/" && !origin.EndsWith('/')
            ? null
            : $"contains \"{origin}\", which is not an origin such as https://chat.example.com";
}
