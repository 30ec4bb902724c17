namespace CatChat.Chat;

/// <summary>What happened in the chat, as reported to the dashboard and other event subscribers.</summary>
public enum ChatEventKind
{
    Join,
    Leave,
    Nick,
    Users,
    Banner,
    Kick,
    Announce,
    Message,
    Action,

    /// <summary>A room's topic was set.</summary>
    Topic,

    /// <summary>Someone joined a room (on any node).</summary>
    RoomJoin,

    /// <summary>Someone left a room (on any node), with why.</summary>
    RoomPart,
}
