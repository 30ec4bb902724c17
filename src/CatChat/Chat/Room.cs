namespace CatChat.Chat;

/// <summary>
/// One conversation: a name (see <c>RoomName</c>), its members on this node, a topic, and its recent lines. Made by
/// its first join and gone when its last member leaves; <see cref="ChatRoom"/> changes it under its lock.
/// </summary>
public sealed class Room
{
    internal Room(string name, bool isDefault, RecentHistory recent)
    {
        Name = name;
        IsDefault = isDefault;
        Alone = [this];
        Recent = recent;
    }

    /// <summary>As spelled at its first join; names compare without regard to case.</summary>
    public string Name { get; }

    /// <summary>The room every login starts in.</summary>
    public bool IsDefault { get; }

    public string Topic { get; internal set; } = string.Empty;

    public int Count => Members.Count;

    /// <summary>How the room's lines are filed in the history: null for the default room, else its name in lower case.</summary>
    public string? HistoryKey => IsDefault ? null : KeyOf(Name);

    /// <summary>The history key of a room that is not the default one.</summary>
    public static string KeyOf(string name) => name.ToLowerInvariant();

    /// <summary>Where a room's topic is stored among the settings: this, then the room's name in lower case.</summary>
    public const string TopicSettingPrefix = "topic:";

    /// <summary>A topic is a short line.</summary>
    public const int MaxTopicLength = 300;

    public string TopicSettingKey => TopicSettingKeyOf(Name);

    public static string TopicSettingKeyOf(string name) => TopicSettingPrefix + KeyOf(name);

    /// <summary>Its lines lately, for <c>/history</c> (the default room's are the chat's own, in the database too).</summary>
    public RecentHistory Recent { get; }

    internal MemberList Members { get; } = new();

    /// <summary>When this node made the room (IRC's creation time).</summary>
    public DateTimeOffset CreatedAt { get; internal init; }

    /// <summary>Who set the topic and when, as far as this node knows (IRC's 333).</summary>
    public string TopicSetBy { get; internal set; } = string.Empty;

    public DateTimeOffset TopicSetAt { get; internal set; }

    /// <summary>Mode +t: only the room's operators may set its topic.</summary>
    public bool TopicLocked { get; internal set; }

    /// <summary>Mode +n (on unless an operator turns it off): only members may send lines to the room.</summary>
    public bool NoOutsideMessages { get; internal set; } = true;

    /// <summary>Mode +k: the key a join must give; null for none.</summary>
    public string? Key { get; internal set; }

    /// <summary>Mode +l: members the room may have on every node; 0 for no limit.</summary>
    public int Limit { get; internal set; }

    /// <summary>Mode +i: only those invited may join.</summary>
    public bool InviteOnly { get; internal set; }

    /// <summary>Mode +m: only operators and voiced members may speak.</summary>
    public bool Moderated { get; internal set; }

    /// <summary>Mode +s: the room is not listed to those outside it.</summary>
    public bool Secret { get; internal set; }

    /// <summary>Mode +C: no CTCP requests but ACTION (<c>/me</c>) to the room.</summary>
    public bool NoCtcp { get; internal set; }

    /// <summary>Mode +b: those who may not join or speak, unless they match <see cref="BanExceptions"/>.</summary>
    public MaskList Bans { get; } = new();

    /// <summary>Mode +e: those whom a ban does not hold.</summary>
    public MaskList BanExceptions { get; } = new();

    /// <summary>Mode +I: those who may join an invite-only room without an invitation.</summary>
    public MaskList InviteExceptions { get; } = new();

    // The room's operators and voiced members on this node (IRC's @ and +): few, so arrays replaced.
    private ChatMember[] _operators = [];
    private ChatMember[] _voiced = [];

    // Nicknames invited since the room went +i (or before), each until it joins.
    private readonly HashSet<string> _invited = new(StringComparer.OrdinalIgnoreCase);

    public bool IsVoiced(ChatMember member) => Array.IndexOf(Volatile.Read(ref _voiced), member) >= 0;

    internal void SetVoiced(ChatMember member, bool voiced) => Volatile.Write(ref _voiced, Changed(Volatile.Read(ref _voiced), member, voiced));

    /// <summary>Whether a member may speak: anyone, unless the room is moderated or they are banned or muted.</summary>
    public bool MaySpeak(ChatMember member) =>
        IsOperator(member) || IsVoiced(member) || (!Moderated && (Bans.IsEmpty || !IsBannedOrMuted(member.Identity.ToString())));

    /// <summary>Whether a ban (not a mute) holds for <paramref name="identity"/>: it may not join.</summary>
    public bool IsBanned(string identity) => Bans.Matches(identity) && !BanExceptions.Matches(identity);

    /// <summary>
    /// Whether a ban or a mute holds for <paramref name="identity"/>: it may not speak. An exception lets it speak
    /// through both, a mute's exception (<c>+e m:mask</c>) through a mute only.
    /// </summary>
    public bool IsBannedOrMuted(string identity) =>
        IsBanned(identity) || (Bans.MatchesMute(identity) && !BanExceptions.Matches(identity) && !BanExceptions.MatchesMute(identity));

    internal void Invite(string nick)
    {
        lock (_invited)
        {
            if (_invited.Count < 1000)
            {
                _invited.Add(nick);
            }
        }
    }

    /// <summary>Whether the nickname holds an invitation, which stays until it joins.</summary>
    public bool IsInvited(string nick)
    {
        lock (_invited)
        {
            return _invited.Contains(nick);
        }
    }

    /// <summary>Whether the nickname was invited; the invitation is used up.</summary>
    internal bool TakeInvitation(string nick)
    {
        lock (_invited)
        {
            return _invited.Remove(nick);
        }
    }

    /// <summary>The room's modes as IRC's 324 shows them (the key only to its members).</summary>
    public string ModeString(bool showKey) => CaptureModes().Describe(showKey);

    /// <summary>The modes every node shares, as they are now (<see cref="RoomModes.Version"/> left for the caller).</summary>
    public RoomModes CaptureModes() => new(
        (NoOutsideMessages ? "n" : string.Empty) + (TopicLocked ? "t" : string.Empty) + (InviteOnly ? "i" : string.Empty)
            + (Moderated ? "m" : string.Empty) + (Secret ? "s" : string.Empty) + (NoCtcp ? "C" : string.Empty),
        Key,
        Limit,
        Bans.Masks,
        BanExceptions.Masks,
        InviteExceptions.Masks);

    /// <summary>Takes the modes another node set (or this node remembered while the room had nobody here).</summary>
    /// <param name="setBy">Who changed them, for the masks new to this node's lists; empty when unknown.</param>
    internal void RestoreModes(RoomModes modes, string setBy = "", DateTimeOffset setAt = default)
    {
        NoOutsideMessages = modes.Flags.Contains('n', StringComparison.Ordinal);
        TopicLocked = modes.Flags.Contains('t', StringComparison.Ordinal);
        InviteOnly = modes.Flags.Contains('i', StringComparison.Ordinal);
        Moderated = modes.Flags.Contains('m', StringComparison.Ordinal);
        Secret = modes.Flags.Contains('s', StringComparison.Ordinal);
        NoCtcp = modes.Flags.Contains('C', StringComparison.Ordinal);
        Key = modes.Key;
        Limit = modes.Limit;
        Bans.Replace(modes.Bans, setBy, setAt);
        BanExceptions.Replace(modes.BanExceptions, setBy, setAt);
        InviteExceptions.Replace(modes.InviteExceptions, setBy, setAt);
    }

    private static ChatMember[] Changed(ChatMember[] members, ChatMember member, bool present)
    {
        var has = Array.IndexOf(members, member) >= 0;
        return present && !has ? [.. members, member] : !present && has ? Array.FindAll(members, m => !ReferenceEquals(m, member)) : members;
    }

    public bool IsOperator(ChatMember member) => Array.IndexOf(Volatile.Read(ref _operators), member) >= 0;

    internal void SetOperator(ChatMember member, bool isOperator) =>
        Volatile.Write(ref _operators, Changed(Volatile.Read(ref _operators), member, isOperator));

    /// <summary>This room alone, as the room list of every member who is in no other: shared, never modified.</summary>
    internal Room[] Alone { get; }
}
