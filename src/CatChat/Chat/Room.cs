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

    /// <summary>Mode +n: only members may send lines to the room (always so: a room takes no lines from outside).</summary>
    public bool NoOutsideMessages => true;

    // The room's operators on this node (IRC's @): few, so an array replaced under the chat's lock.
    private ChatMember[] _operators = [];

    public bool IsOperator(ChatMember member) => Array.IndexOf(Volatile.Read(ref _operators), member) >= 0;

    internal void SetOperator(ChatMember member, bool isOperator)
    {
        var operators = Volatile.Read(ref _operators);
        var has = Array.IndexOf(operators, member) >= 0;
        if (isOperator && !has)
        {
            Volatile.Write(ref _operators, [.. operators, member]);
        }
        else if (!isOperator && has)
        {
            Volatile.Write(ref _operators, Array.FindAll(operators, op => !ReferenceEquals(op, member)));
        }
    }

    /// <summary>This room alone, as the room list of every member who is in no other: shared, never modified.</summary>
    internal Room[] Alone { get; }
}
