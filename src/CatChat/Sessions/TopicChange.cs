namespace CatChat.Sessions;

/// <summary>What came of a member's asking to set a room's topic, for the front door to word.</summary>
internal enum TopicChange
{
    /// <summary>Stored (when there is a store) and announced to the room.</summary>
    Set,

    /// <summary>The room is +t and the member is none of its operators.</summary>
    NotOperator,

    /// <summary>The store is away: the old topic stays, and nobody was told of a new one.</summary>
    StoreUnavailable,
}
