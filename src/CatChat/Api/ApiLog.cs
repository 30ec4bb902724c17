namespace CatChat.Api;

/// <summary>Log messages of the HTTP side.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Admin token from {Source} (the token itself is never logged)")]
    public static partial void AdminTokenSource(ILogger logger, string source);
}
