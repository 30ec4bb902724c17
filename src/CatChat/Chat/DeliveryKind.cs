namespace CatChat.Chat;

/// <summary>What a <see cref="Delivery"/> tells: each front door words each kind its own way.</summary>
public enum DeliveryKind
{
    /// <summary>Someone said something in a room.</summary>
    Line,

    /// <summary>Someone acted in a room (<c>/me</c>, an IRC CTCP ACTION).</summary>
    Action,

    /// <summary>The server tells something in its own words (a split, a reunion, an error of the chat's making).</summary>
    Notice,

    /// <summary>Someone arrived in the chat (in the rooms they are in).</summary>
    Arrived,

    /// <summary>Someone (or, after a node was lost, several) left the chat; the text is why.</summary>
    Departed,

    /// <summary>Someone took another nickname; the text is the new one.</summary>
    Renamed,

    /// <summary>Someone joined a room.</summary>
    RoomJoined,

    /// <summary>Someone left a room; the text is why.</summary>
    RoomParted,

    /// <summary>Someone was taken out of a room by an administrator; the text is why.</summary>
    RoomRemoved,

    /// <summary>A room's topic was set; the text is the topic.</summary>
    Topic,

    /// <summary>An administrator's announcement, to one room or to everyone.</summary>
    Announcement,

    /// <summary>A private message to its recipient.</summary>
    Private,

    /// <summary>A private message, as its sender sees it sent; the target is the recipient.</summary>
    PrivateSent,

    /// <summary>The recipient is disconnected by an administrator; the text is why.</summary>
    Kicked,

    /// <summary>The login banner changed; the text is the new one. Plain-text users see it at their next login only.</summary>
    BannerChanged,

    /// <summary>Someone invites the recipient (the target) to a room.</summary>
    Invite,

    /// <summary>Only tags (IRC's TAGMSG: a reaction, a typing notice), to a room or a nick; no plain text.</summary>
    TagMessage,

    /// <summary>A room's mode changed (IRC's MODE: an operator given or taken, the topic locked); the text is the change.</summary>
    Mode,

    /// <summary>A member went away or came back (Text: the away message, or null); IRC's away-notify.</summary>
    AwayChanged,

    /// <summary>A member changed their real name (Text); IRC's SETNAME.</summary>
    RealNameChanged,

    /// <summary>A line was taken back (IRCv3 redaction): Target is its message id, Text why (or null); no plain text.</summary>
    Redacted,
}
