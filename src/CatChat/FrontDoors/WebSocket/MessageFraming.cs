namespace CatChat.FrontDoors.WebSocket;

/// <summary>How a session's output over a WebSocket becomes messages, and what a binary message from the client is.</summary>
internal enum MessageFraming
{
    /// <summary>The session writes whole text frames (the web chat's JSON); a binary message is refused.</summary>
    SessionFrames,

    /// <summary>Each line the session writes is one text message; a binary message is a line like any other.</summary>
    TextLines,

    /// <summary>Each line the session writes is one binary message; a text message is a line like any other.</summary>
    BinaryLines,
}
