using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>The chat's own settings: what a line, a nickname and the greeting may be, and what a login is shown. Follows the configuration file while running.</summary>
public sealed class ChatOptions
{
    /// <summary>The greeting, lines separated by LF (see <see cref="BannerText"/>).</summary>
    public string Banner { get; set; } = "Welcome to CatChat!";

    public int MaxLineBytes { get; set; } = LineFramer.DefaultMaxLineBytes;

    public int NickMaxLength { get; set; } = NicknamePolicy.DefaultMaxLength;

    public IReadOnlyList<string> ReservedNicks { get; set; } = NicknamePolicy.DefaultReserved;

    /// <summary>False: nobody is told of joins and departures (with ten thousand users, each is ten thousand lines).</summary>
    public bool PresenceNotices { get; set; } = true;

    /// <summary>Lines of history a new login is shown; 0 turns it off.</summary>
    public int HistoryReplay { get; set; } = 10;

    /// <summary>True: private messages are stored in the history too (never shown to a new login).</summary>
    public bool HistoryPrivate { get; set; }

    /// <summary>The room every login starts in (read at start).</summary>
    public string DefaultRoom { get; set; } = RoomLimits.Default.DefaultRoom;

    public int RoomsPerUser { get; set; } = RoomLimits.Default.RoomsPerUser;

    public int MaxRooms { get; set; } = RoomLimits.Default.RoomsPerServer;

    /// <summary>Members a room may have; 0: no limit.</summary>
    public int RoomMaxMembers { get; set; } = RoomLimits.Default.MembersPerRoom;

    /// <summary>The limits on rooms as the chat takes them; <paramref name="defaultRoom"/> stays as it started.</summary>
    public RoomLimits ToRoomLimits(string? defaultRoom = null) => new(defaultRoom ?? DefaultRoom, RoomsPerUser, MaxRooms, RoomMaxMembers);
}
