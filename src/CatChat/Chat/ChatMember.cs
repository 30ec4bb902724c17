using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>
/// Someone in the chat, as the room knows them: nickname, where they came from, and how to reach them.
/// The connection that owns the member decides when it leaves.
/// </summary>
public sealed class ChatMember(string connectionId, string remoteAddress, DateTimeOffset connectedAt, IOutbox outbox, IMemberConnection connection)
{
    private long _linesSent;
    private bool _wasAnnounced;
    private Room[] _rooms = [];
    private Room? _currentRoom;

    public string ConnectionId { get; } = connectionId;

    public string RemoteAddress { get; } = remoteAddress;

    public DateTimeOffset ConnectedAt { get; } = connectedAt;

    /// <summary>Set by <see cref="ChatRoom"/> under its lock; read freely.</summary>
    public string Nick { get; internal set; } = string.Empty;

    public long LinesSent => Interlocked.Read(ref _linesSent);

    /// <summary>True once the room has announced this member's arrival.</summary>
    internal bool WasAnnounced
    {
        get => Volatile.Read(ref _wasAnnounced);
        set => Volatile.Write(ref _wasAnnounced, value);
    }

    internal void CountLineSent() => Interlocked.Increment(ref _linesSent);

    /// <summary>The rooms this member is in, in order of joining (never modified: replaced, under the chat's lock).</summary>
    public IReadOnlyList<Room> Rooms => Volatile.Read(ref _rooms);

    /// <summary>Where the member's plain lines go; null when they have left every room.</summary>
    public Room? CurrentRoom => Volatile.Read(ref _currentRoom);

    internal Room[] RoomArray
    {
        get => Volatile.Read(ref _rooms);
        set => Volatile.Write(ref _rooms, value);
    }

    internal void MakeCurrent(Room? room) => Volatile.Write(ref _currentRoom, room);

    /// <summary>The front door they came through (<c>netcat</c>, <c>irc</c>, <c>web</c>): the host part of their IRC identity.</summary>
    public string Door { get; init; } = "netcat";

    /// <summary>The user part of their IRC identity: what an IRC client gave as its user name, else the front door's word.</summary>
    public string User { get; internal set; } = "nc";

    /// <summary>The real name an IRC client gave (shown by WHO and WHOIS); the front door's words otherwise.</summary>
    public string RealName { get; internal set; } = "netcat user";

    /// <summary>IRC's user mode +i: not shown by a WHO that does not name them to those who share no room with them.</summary>
    public bool Invisible { get; internal set; }

    /// <summary>Why they are away (IRC's AWAY), or null when they are not.</summary>
    public string? AwayMessage
    {
        get => Volatile.Read(ref _awayMessage);
        internal set => Volatile.Write(ref _awayMessage, value);
    }

    private string? _awayMessage;

    /// <summary>True while they are an IRC operator (IRC's OPER, user mode +o), as WHO and WHOIS show others.</summary>
    public bool IsIrcOperator
    {
        get => Volatile.Read(ref _isIrcOperator);
        internal set => Volatile.Write(ref _isIrcOperator, value);
    }

    private bool _isIrcOperator;

    /// <summary>IRCv3 bot mode (user mode +B): WHO and WHOIS say so, and their messages carry the <c>bot</c> tag.</summary>
    public bool IsBot
    {
        get => Volatile.Read(ref _isBot);
        internal set => Volatile.Write(ref _isBot, value);
    }

    private bool _isBot;

    /// <summary>How they appear in IRC's <c>nick!user@host</c>, now.</summary>
    public Identity Identity => new(Nick, User, Door);

    /// <summary>
    /// How deliveries are worded for this member: the connection itself when it is a renderer, else plain text; a front
    /// door that words them the same for everyone sets a shared one before the member joins.
    /// </summary>
    internal IDeliveryRenderer? Renderer { get; set; } = connection as IDeliveryRenderer;

    /// <summary>Tells this member what <paramref name="delivery"/> says, in the words of their front door.</summary>
    public bool Deliver(Delivery delivery)
    {
        var encoded = Renderer is { } renderer ? renderer.Render(delivery, this) : delivery.PlainFor(this);
        return encoded is null || outbox.TryEnqueue(encoded);
    }

    /// <summary>Queues an already encoded line for this member.</summary>
    public bool Deliver(byte[] encodedLine) => outbox.TryEnqueue(encodedLine);

    /// <summary>Queues one line for this member.</summary>
    public bool Send(string line) => outbox.TryEnqueue(LineEncoder.Encode(line));

    /// <summary>Asks the member's connection to close after sending what is queued.</summary>
    public void Disconnect(string reason) => connection.Close(reason);
}
