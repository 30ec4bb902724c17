namespace CatChat.Sessions;

/// <summary>Why connections close, as logged and as shown to the room.</summary>
internal static class CloseReasons
{
    public const string ClientClosed = "connection closed";
    public const string ConnectionReset = "connection reset";
    public const string ConnectionLost = "connection lost";
    public const string IdleTimeout = "idle timeout";
    public const string PingTimeout = "ping timeout";
    public const string SlowConsumer = "send queue exceeded";
    public const string ExcessFlood = "excess flood";
    public const string HttpRequest = "HTTP request on the chat port";
    public const string TlsOnPlainPort = "TLS handshake on a plain port";
    public const string ServerFull = "server full";
    public const string ServerShuttingDown = "server shutting down";
    public const string Quit = "quit";
    public const string WrongPassword = "wrong password";
    public const string PasswordTimeout = "no password in time";
}
