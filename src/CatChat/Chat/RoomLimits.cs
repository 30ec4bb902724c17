namespace CatChat.Chat;

/// <summary>The default room and the limits on rooms.</summary>
/// <param name="MembersPerRoom">0: no limit.</param>
/// <param name="RecentLines">Lines a room other than the default one keeps for <c>/history</c> and redaction.</param>
public sealed record RoomLimits(string DefaultRoom, int RoomsPerUser, int RoomsPerServer, int MembersPerRoom, int RecentLines = RoomLimits.DefaultRecentLines)
{
    /// <summary>Recent lines a room keeps unless told otherwise: the lines that can still be redacted.</summary>
    public const int DefaultRecentLines = 100;

    /// <summary>The most rooms <c>--rooms-per-user</c> may allow; other nodes must believe a member in that many.</summary>
    public const int MaxRoomsPerUser = 10_000;

    public static RoomLimits Default { get; } = new("#lobby", 20, 10_000, 0);
}
