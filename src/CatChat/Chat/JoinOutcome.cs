namespace CatChat.Chat;

/// <summary>What became of joining the chat under a nickname of one's own choosing.</summary>
public enum JoinOutcome
{
    Joined,

    /// <summary>Someone here or on another node holds the nickname.</summary>
    NickTaken,

    ShuttingDown,
}
