namespace CatChat.Chat;

/// <summary>
/// A room's modes that hold on every node (IRC's +n +t +i +m +s +C, +k, +l, and the +b, +e and +I lists) as one node last
/// set them. <see cref="Version"/> orders two nodes' changes: the later one wins, and of two stamped alike the one from
/// the greater node id, so every node ends with the same modes whatever order the changes reach it in.
/// </summary>
public sealed record RoomModes(
    string Flags, string? Key, int Limit, IReadOnlyList<string> Bans, IReadOnlyList<string> BanExceptions, IReadOnlyList<string> InviteExceptions)
{
    /// <summary>The letters <see cref="Flags"/> may hold, each once: modes without a parameter.</summary>
    public const string FlagLetters = "ntimsC";

    /// <summary>The modes of a room nobody has changed: +n alone.</summary>
    public static RoomModes Default { get; } = new("n", null, 0, [], [], []);

    /// <summary>When the change was made, in Unix milliseconds, and past every version of the room the node had seen.</summary>
    public long Version { get; init; }

    /// <summary>The node that made the change.</summary>
    public string Node { get; init; } = string.Empty;

    /// <summary>The modes as IRC's 324 shows them, letters then parameters (the key as <c>*</c> unless shown).</summary>
    public string Describe(bool showKey)
    {
        var letters = Flags + (Key is not null ? "k" : string.Empty) + (Limit > 0 ? "l" : string.Empty);
        var parameters = (Key is not null ? " " + (showKey ? Key : "*") : string.Empty)
            + (Limit > 0 ? " " + Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
        return "+" + letters + parameters;
    }

    /// <summary>Whether these are the modes of a room nobody has changed (+n alone).</summary>
    public bool IsPlain =>
        Flags == Default.Flags && Key is null && Limit == 0 && Bans.Count == 0 && BanExceptions.Count == 0 && InviteExceptions.Count == 0;

    public bool IsNewerThan(RoomModes? other) =>
        other is null || Version > other.Version || (Version == other.Version && string.CompareOrdinal(Node, other.Node) > 0);
}
