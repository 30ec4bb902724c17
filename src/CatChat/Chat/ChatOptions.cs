using System.Security.Cryptography;
using System.Text;
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

    /// <summary>What every way in asks before a user enters the chat (netcat, IRC's PASS, the web chat); empty: an open chat.</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>True when this chat asks for a password.</summary>
    public bool NeedsPassword => Password.Length > 0;

    /// <summary>
    /// True when <paramref name="given"/> lets a user in (anything does in an open chat). Compared as SHA-256 digests in
    /// fixed time, so neither its length nor how much of it was right shows in how long a refusal takes.
    /// </summary>
    public bool AdmitsPassword(string? given) =>
        !NeedsPassword || (given is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(Password)), SHA256.HashData(Encoding.UTF8.GetBytes(given))));

    /// <summary>The limits on rooms as the chat takes them; <paramref name="defaultRoom"/> stays as it started.</summary>
    public RoomLimits ToRoomLimits(string? defaultRoom = null) => new(defaultRoom ?? DefaultRoom, RoomsPerUser, MaxRooms, RoomMaxMembers);
}
