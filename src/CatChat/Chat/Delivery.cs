using System.Text;
using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>
/// What one act of the chat tells those it reaches, in no front door's words: what happened, who did it, where, and
/// the text, beside its plain-text line (as netcat shows it, the history keeps it and the dashboard reads it). A
/// broadcast builds one and hands it to every recipient; each front door renders it at most once per variant (see
/// <see cref="RenderOnce"/>), so ten thousand recipients of one front door share one encoded line.
/// </summary>
public sealed class Delivery(DeliveryKind kind, string line)
{
    private byte[]? _plain;
    private byte[]? _plainInRoom;

    // Renderings by slot (RenderSlot): few front doors, so fields rather than an array per broadcast.
    private byte[]? _slot0;
    private byte[]? _slot1;
    private byte[]? _slot2;
    private byte[]? _slot3;
    private byte[]? _slot4;
    private byte[]? _slot5;

    public DeliveryKind Kind { get; } = kind;

    /// <summary>The plain-text line, without a room's name before it.</summary>
    public string Line { get; } = line;

    /// <summary>Who did it (for <see cref="DeliveryKind.Departed"/> after a node was lost, possibly several: see <see cref="Nicks"/>).</summary>
    public string? Nick { get; init; }

    /// <summary>How the one who did it appears to IRC clients, user and host (see <see cref="Identity"/>); null: the server.</summary>
    public Identity? From { get; init; }

    /// <summary>The room it happened in, when it happened in one room that has members on this node.</summary>
    public Room? Room { get; init; }

    /// <summary>The name of the room it happened in, when it happened in one.</summary>
    public string? RoomName { get; init; }

    /// <summary>What was said, the new nickname, the topic, the reason or the announcement, as the kind says.</summary>
    public string? Text { get; init; }

    /// <summary>For a private message, the other party; for a removal, who set it, as the kind says.</summary>
    public string? Target { get; init; }

    /// <summary>The rooms an arrival, a departure or a rename concerns (a recipient is told of those they share).</summary>
    public IReadOnlyList<string>? Rooms { get; init; }

    /// <summary>The lines of a new banner.</summary>
    public IReadOnlyList<string>? BannerLines { get; init; }

    /// <summary>Everyone who left together, for a departure of several.</summary>
    public IReadOnlyList<Identity>? Departed { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>The client-only tags (IRCv3 <c>+name=value</c>, escaped as received) its sender gave, for clients that take them.</summary>
    public string? ClientTags { get; init; }

    /// <summary>
    /// The message's id (IRCv3 <c>msgid</c>), the same for its sender's echo and every recipient; made on first use,
    /// so lines nobody asks the id of cost nothing.
    /// </summary>
    public string MessageId
    {
        get
        {
            var id = Volatile.Read(ref _messageId);
            if (id is null)
            {
                var made = MessageIds.Next();
                id = Interlocked.CompareExchange(ref _messageId, made, null) ?? made;
            }

            return id;
        }

        init => _messageId = value;
    }

    private string? _messageId;

    /// <summary>The multiline message this line is a part of, on each of its deliveries (see <see cref="MultilineMessage"/>).</summary>
    public MultilineMessage? Multiline { get; init; }

    /// <summary>A part of a multiline message after its first: a client that takes the whole message got it with the first.</summary>
    public bool ContinuesMultiline { get; init; }

    /// <summary>A line or private message sent as an IRC NOTICE (never answered automatically); the same in plain text.</summary>
    public bool IsNotice { get; init; }

    /// <summary>Who acted on the one it happened to (the kicker of a removal), when that is not the server.</summary>
    public Identity? Actor { get; init; }

    /// <summary>
    /// The plain-text line for a recipient: with the room's name before it when they look at another room; null when
    /// it has no plain text (a change only IRC clients follow, such as a room operator's mode).
    /// </summary>
    // The broadcast's hot path (every netcat recipient of every line): fields of its own, no slot lookup.
    public byte[]? PlainFor(ChatMember recipient)
    {
        if (Room is null || ReferenceEquals(recipient.CurrentRoom, Room))
        {
            return Volatile.Read(ref _plain) ?? (Line.Length == 0 ? null : _plain = LineEncoder.Encode(Line));
        }

        return Volatile.Read(ref _plainInRoom) ?? (Line.Length == 0 ? null : _plainInRoom = LineEncoder.Encode(ChatLine.InRoom(Room.Name, Line)));
    }

    /// <summary>
    /// This delivery as a front door sends it in one of its variants (its slot): rendered by the first recipient that
    /// needs it, shared by the rest. Two recipients racing may both render; either result is the same bytes.
    /// </summary>
    public byte[] RenderOnce(int slot, Func<Delivery, byte[]> render)
    {
        ref var cached = ref Slot(slot);
        return Volatile.Read(ref cached) ?? (cached = render(this));
    }


    private ref byte[]? Slot(int slot)
    {
        switch (slot)
        {
            case 0: return ref _slot0;
            case 1: return ref _slot1;
            case 2: return ref _slot2;
            case 3: return ref _slot3;
            case 4: return ref _slot4;
            case 5: return ref _slot5;
            default: throw new ArgumentOutOfRangeException(nameof(slot), slot, "no such rendering slot");
        }
    }

    /// <summary>How a delivery's plain text reads as a whole, for logs and tests.</summary>
    public override string ToString() => new StringBuilder().Append(Kind).Append(": ").Append(Line).ToString();
}

/// <summary>Hands out <see cref="Delivery"/>'s rendering slots: one per variant a front door renders (a few in all).</summary>
public static class RenderSlot
{
    public const int Count = 6;
    private static int _claimed = -1;

    /// <summary>A slot of one's own, claimed once (in a static field) by each kind of rendering.</summary>
    public static int Claim()
    {
        var slot = Interlocked.Increment(ref _claimed);
        return slot < Count ? slot : throw new InvalidOperationException($"more than {Count} renderings of a delivery");
    }
}
