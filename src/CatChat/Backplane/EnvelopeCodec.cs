using System.Text;
using System.Text.Json;
using CatChat.Chat;
using CatChat.Protocol;

namespace CatChat.Backplane;

/// <summary>
/// Turns <see cref="ClusterMessage"/>s into envelopes and back. Whatever arrives from the bus is treated
/// as untrusted input: an envelope that is too big, not JSON, of an unknown kind or version, or missing
/// or malforming a field it needs is refused; every text is sanitised again, so nothing that reaches a
/// terminal through another node can carry a control sequence. Pure: no I/O.
/// </summary>
internal sealed class EnvelopeCodec
{
    public const int MaxNickLength = 64;
    public const int MaxIdLength = 100;

    /// <summary>As many rooms as any node may let a user join; a list longer than this is not believed.</summary>
    public const int MaxRoomsPerMember = RoomLimits.MaxRoomsPerUser;

    // A member's record: its rooms (each quoted, with a comma; room names need no escaping), those of them it is an
    // operator of and those it has voice in, and a little more. It must hold every room a node may let a user join,
    // each up to three times, or a node reading it after a gap or at its start loses the user.
    private const int MaxMemberRecordBytes = (3 * MaxRoomsPerMember * (RoomName.MaxLength + 4)) + 4096;
    private const int MaxShortTextChars = 300;

    private static readonly Dictionary<string, ClusterMessageKind> KindsByName =
        Enum.GetValues<ClusterMessageKind>().ToDictionary(kind => kind.ToString().ToLowerInvariant(), StringComparer.Ordinal);

    public EnvelopeCodec(int maxLineBytes)
    {
        // A leave notice or an announcement carries a little more than the line it was made from; a banner
        // may be longer than a short line limit.
        MaxTextBytes = Math.Max(maxLineBytes, 4096) + 512;

        // JSON may escape a character into six bytes.
        MaxEnvelopeBytes = (6 * MaxTextBytes) + 8192;
    }

    public int MaxTextBytes { get; }

    public int MaxEnvelopeBytes { get; }

    public static byte[] Encode(ClusterMessage message) => JsonSerializer.SerializeToUtf8Bytes(
        new Envelope
        {
            Version = Envelope.CurrentVersion,
            Kind = message.Kind.ToString().ToLowerInvariant(),
            Node = message.Node,
            NodeName = message.NodeName,
            Seq = message.Seq,
            Prev = message.Prev == 0 ? null : message.Prev,
            ConnectionId = message.ConnectionId,
            Nick = message.Nick,
            NewNick = message.NewNick,
            Text = message.Text,
            Reason = message.Reason,
            By = message.By,
            To = message.To,
            Target = message.Target,
            Address = message.Address,
            Since = message.Since,
            Users = message.Users,
            Lines = message.Lines,
            MessageId = message.MessageId,
            Parts = message.Parts,
            ConcatParts = message.ConcatParts,
            ContinuesMultiline = message.ContinuesMultiline ? true : null,
            Room = message.Room,
            Rooms = message.Rooms,
            Door = message.Door,
            User = message.User,
            Modes = message.Modes is { } modes ? RoomModesCodec.Encode(modes) : null,
            Status = message.Status,
        },
        BackplaneJsonContext.Default.Envelope);

    /// <summary>Decodes and checks an envelope; null (with the reason) when it must be dropped.</summary>
    public ClusterMessage? TryDecode(ReadOnlySpan<byte> bytes, out string? rejection)
    {
        rejection = null;
        if (bytes.Length > MaxEnvelopeBytes)
        {
            rejection = "too large";
            return null;
        }

        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(bytes, BackplaneJsonContext.Default.Envelope);
        }
        catch (JsonException)
        {
            rejection = "not a JSON envelope";
            return null;
        }

        if (envelope is null)
        {
            rejection = "empty";
            return null;
        }

        var message = Check(envelope, out rejection);
        return rejection is null ? message : null;
    }

    /// <summary>Decodes a member of another node's members hash; null when it does not make sense.</summary>
    public static RemoteMember? TryDecodeMember(string nodeId, string nodeName, string connectionId, ReadOnlySpan<byte> json)
    {
        if (!IsId(connectionId) || json.Length > MaxMemberRecordBytes)
        {
            return null;
        }

        MemberRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(json, BackplaneJsonContext.Default.MemberRecord);
        }
        catch (JsonException)
        {
            return null;
        }

        return record is { Nick: { } nick } && IsNick(nick) && RoomList(record.Rooms) is { } rooms
            ? new RemoteMember(nodeId, nodeName, connectionId, nick, Short(record.Address) ?? string.Empty, record.Since ?? DateTimeOffset.UnixEpoch, rooms)
            {
                Door = IsWord(record.Door) ? record.Door! : "netcat",
                User = IsUserName(record.User) ? record.User! : "nc",
                Operating = AmongRooms(record.Operating, rooms),
                Voiced = AmongRooms(record.Voiced, rooms),
            }
            : null;
    }

    public static byte[] EncodeMember(ChatMember member) => JsonSerializer.SerializeToUtf8Bytes(
        new MemberRecord(
            member.Nick, member.RemoteAddress, member.ConnectedAt, [.. member.Rooms.Select(room => room.Name)], member.Door, member.User,
            Operating: NullIfEmpty([.. member.Rooms.Where(room => room.IsOperator(member)).Select(room => room.Name)]),
            Voiced: NullIfEmpty([.. member.Rooms.Where(room => room.IsVoiced(member)).Select(room => room.Name)])),
        BackplaneJsonContext.Default.MemberRecord);

    private static string[]? NullIfEmpty(string[] rooms) => rooms.Length == 0 ? null : rooms;

    // The rooms of a member's record they are an operator of, or voiced in: only rooms they are in count.
    private static string[] AmongRooms(IReadOnlyList<string>? some, IReadOnlyList<string> rooms) =>
        some is null ? [] : [.. rooms.Where(room => some.Contains(room, RoomName.Comparer))];

    /// <summary>A member's rooms: each a valid name, each once; null when the list does not make sense (absent: none).</summary>
    private static IReadOnlyList<string>? RoomList(IReadOnlyList<string>? rooms)
    {
        if (rooms is null)
        {
            return [];
        }

        if (rooms.Count > MaxRoomsPerMember || rooms.Any(room => room is null || RoomName.Validate(room) is not null))
        {
            return null;
        }

        return [.. rooms.Distinct(RoomName.Comparer)];
    }

    /// <summary>Node ids, node names and connection ids: 1 to 100 of ASCII letters, digits and <c>._:-</c>.</summary>
    public static bool IsId(string? value) =>
        value is { Length: > 0 and <= MaxIdLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');

    // A message id reaches IRC clients as a tag value: the id's own alphabet only, else the line is given one here.
    private static string? MessageIdOf(Envelope envelope) => MessageIds.IsWellFormed(envelope.MessageId) ? envelope.MessageId : null;

    /// <summary>A front door's name: 1 to 16 lower-case ASCII letters.</summary>
    public static bool IsWord(string? value) => value is { Length: > 0 and <= 16 } && value.All(char.IsAsciiLetterLower);

    /// <summary>The user part of an IRC identity: 1 to 16 of ASCII letters, digits and <c>~._-</c>.</summary>
    public static bool IsUserName(string? value) =>
        value is { Length: > 0 and <= 16 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '~' or '.' or '_' or '-');

    /// <summary>Nicknames by the rule every node applies, at the longest length any node may allow.</summary>
    public static bool IsNick(string? value) =>
        value is { Length: > 0 and <= MaxNickLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private ClusterMessage? Check(Envelope envelope, out string? rejection)
    {
        rejection = null;
        if (envelope.Version != Envelope.CurrentVersion)
        {
            rejection = "unknown version";
            return null;
        }

        if (envelope.Kind is null || !KindsByName.TryGetValue(envelope.Kind, out var kind))
        {
            rejection = "unknown kind";
            return null;
        }

        if (!IsId(envelope.Node) || !IsId(envelope.NodeName) || envelope.Seq < 1 || envelope.Prev is < 0 || envelope.Prev >= envelope.Seq)
        {
            rejection = "no valid sender";
            return null;
        }

        var message = new ClusterMessage(kind) { Node = envelope.Node!, NodeName = envelope.NodeName!, Seq = envelope.Seq, Prev = envelope.Prev ?? 0 };
        message = kind switch
        {
            ClusterMessageKind.Say or ClusterMessageKind.Act =>
                IsNick(envelope.Nick) && Said(envelope.Text) is { Length: > 0 } text
                    ? WithMultiline(message with { Nick = envelope.Nick, Text = text, MessageId = MessageIdOf(envelope) }, envelope)
                    : null,
            ClusterMessageKind.RoomSay or ClusterMessageKind.RoomAct =>
                IsNick(envelope.Nick) && envelope.Room is { } room && RoomName.Validate(room) is null && Said(envelope.Text) is { Length: > 0 } text
                    ? WithMultiline(message with { Nick = envelope.Nick, Text = text, Room = room, MessageId = MessageIdOf(envelope) }, envelope)
                    : null,
            ClusterMessageKind.RoomJoin or ClusterMessageKind.RoomPart =>
                IsId(envelope.ConnectionId) && IsNick(envelope.Nick) && envelope.Room is { } changed && RoomName.Validate(changed) is null
                && Notice(envelope.Text, envelope.Nick!) is var told && (envelope.Text is null || told is not null)
                    ? message with { ConnectionId = envelope.ConnectionId, Nick = envelope.Nick, Room = changed, Reason = Short(envelope.Reason), Text = told, By = Short(envelope.By) }
                    : null,
            ClusterMessageKind.Topic =>
                envelope.Room is { } titled && RoomName.Validate(titled) is null && Short(envelope.Text) is { } topic
                    ? message with { Room = titled, Text = topic, By = Short(envelope.By) ?? "?" }
                    : null,
            ClusterMessageKind.RoomModes =>
                envelope.Room is { } moded && RoomName.Validate(moded) is null && RoomModesCodec.TryDecode(envelope.Modes) is { } modes
                && (envelope.By is null || IsNick(envelope.By))
                && (envelope.Text is null || RoomModesCodec.IsChange(envelope.Text))
                    ? message with { Room = moded, Modes = modes, By = envelope.By, Text = envelope.By is null ? null : envelope.Text }
                    : null,
            ClusterMessageKind.RoomAnnounce =>
                envelope.Room is { } announced && RoomName.Validate(announced) is null && Line(envelope.Text) is { Length: > 0 } text
                    ? message with { Text = text, By = Short(envelope.By) ?? "?", Room = announced }
                    : null,
            ClusterMessageKind.Join or ClusterMessageKind.Leave => CheckPresence(message, envelope),
            ClusterMessageKind.Nick =>
                IsId(envelope.ConnectionId) && IsNick(envelope.Nick) && IsNick(envelope.NewNick)
                    ? message with { ConnectionId = envelope.ConnectionId, Nick = envelope.Nick, NewNick = envelope.NewNick }
                    : null,
            ClusterMessageKind.Announce =>
                Line(envelope.Text) is { Length: > 0 } text ? message with { Text = text, By = Short(envelope.By) ?? "?" } : null,
            ClusterMessageKind.Banner => CheckBanner(message, envelope),
            ClusterMessageKind.Private =>
                IsNick(envelope.Nick) && IsNick(envelope.To) && IsId(envelope.Target) && Said(envelope.Text) is { Length: > 0 } text
                    ? message with { Nick = envelope.Nick, To = envelope.To, Target = envelope.Target, Text = text, MessageId = MessageIdOf(envelope) }
                    : null,
            ClusterMessageKind.RoomStatus =>
                IsId(envelope.ConnectionId) && IsNick(envelope.Nick) && envelope.Room is { } statusIn && RoomName.Validate(statusIn) is null
                && envelope.Status is "" or "o" or "v" or "ov" && (envelope.By is null ? envelope.Text is null : IsNick(envelope.By) && IsStatusChange(envelope.Text))
                    ? message with { ConnectionId = envelope.ConnectionId, Nick = envelope.Nick, Room = statusIn, Status = envelope.Status, By = envelope.By, Text = envelope.Text }
                    : null,
            ClusterMessageKind.SetStatus =>
                IsNick(envelope.Nick) && IsId(envelope.Target) && envelope.Room is { } statusFor && RoomName.Validate(statusFor) is null
                && IsNick(envelope.By) && IsStatusChange(envelope.Text)
                    ? message with { Nick = envelope.Nick, Target = envelope.Target, Room = statusFor, By = envelope.By, Text = envelope.Text }
                    : null,
            ClusterMessageKind.Invite =>
                IsNick(envelope.Nick) && IsNick(envelope.To) && IsId(envelope.Target) && envelope.Room is { } invitedTo && RoomName.Validate(invitedTo) is null
                    ? message with { Nick = envelope.Nick, To = envelope.To, Target = envelope.Target, Room = invitedTo }
                    : null,
            ClusterMessageKind.Undelivered =>
                IsNick(envelope.Nick) && IsNick(envelope.To) && IsId(envelope.Target)
                    ? message with { Nick = envelope.Nick, To = envelope.To, Target = envelope.Target }
                    : null,
            ClusterMessageKind.Kick =>
                IsNick(envelope.Nick) && IsId(envelope.Target) && Short(envelope.Reason) is { Length: > 0 } reason
                && (envelope.Room is null || RoomName.Validate(envelope.Room) is null)
                    ? message with { Nick = envelope.Nick, Target = envelope.Target, Reason = reason, By = Short(envelope.By) ?? "?", Room = envelope.Room }
                    : null,
            ClusterMessageKind.Redact or ClusterMessageKind.RoomRedact =>
                (envelope.Nick is null || IsNick(envelope.Nick)) && MessageIdOf(envelope) is { } redacted
                && (kind == ClusterMessageKind.Redact ? envelope.Room is null : envelope.Room is { } redactedIn && RoomName.Validate(redactedIn) is null)
                    ? message with { Nick = envelope.Nick, Room = envelope.Room, MessageId = redacted, Reason = Short(envelope.Reason) }
                    : null,
            ClusterMessageKind.Heartbeat => envelope.Users is null or >= 0 ? message with { Users = envelope.Users } : null,
            _ => message,
        };

        if (message is null)
        {
            rejection = "malformed " + envelope.Kind;
        }

        return message;
    }

    // A change of a member's status in a room, as IRC's MODE shows it.
    private static bool IsStatusChange(string? change) => change is "+o" or "-o" or "+v" or "-v";

    // A join or leave: the notice, if any, is composed by the sender's node; it must still read as this user coming or going.
    private ClusterMessage? CheckPresence(ClusterMessage message, Envelope envelope)
    {
        if (!IsId(envelope.ConnectionId) || !IsNick(envelope.Nick))
        {
            return null;
        }

        var notice = Line(envelope.Text);
        if (notice is not null && !notice.StartsWith(envelope.Nick + " has ", StringComparison.Ordinal))
        {
            return null;
        }

        if (RoomList(envelope.Rooms) is not { } rooms)
        {
            return null;
        }

        return message with
        {
            ConnectionId = envelope.ConnectionId,
            Nick = envelope.Nick,
            Text = notice,
            Reason = Short(envelope.Reason),
            Address = message.Kind == ClusterMessageKind.Join ? Short(envelope.Address) : null,
            Since = message.Kind == ClusterMessageKind.Join ? envelope.Since : null,
            Rooms = message.Kind == ClusterMessageKind.Join && envelope.Rooms is not null ? rooms : null,
            Door = message.Kind == ClusterMessageKind.Join && IsWord(envelope.Door) ? envelope.Door : null,
            User = message.Kind == ClusterMessageKind.Join && IsUserName(envelope.User) ? envelope.User : null,
        };
    }

    private ClusterMessage? CheckBanner(ClusterMessage message, Envelope envelope)
    {
        if (envelope.Lines is not { Count: <= BannerText.MaxLines } lines || lines.Any(line => line is null)
            || BannerText.TryParse(string.Join('\n', lines), out _) is not { } banner)
        {
            return null;
        }

        return message with { Lines = banner.Lines, By = Short(envelope.By) ?? "?" };
    }

    // One line of user text: sanitised again, no longer than a line may be.
    private string? Line(string? text) => Line(text, keepIrcFormatting: false);

    // What users say keeps IRC's formatting codes, for IRC clients (every other front door shows it without).
    private string? Said(string? text) => Line(text, keepIrcFormatting: true);

    // A line's place in a multiline message, when it has a believable one; a line is still a line without it.
    private ClusterMessage WithMultiline(ClusterMessage message, Envelope envelope)
    {
        if (envelope.ContinuesMultiline == true)
        {
            return message with { ContinuesMultiline = true };
        }

        if (envelope.Parts is not { Count: > 0 and <= MultilineMessage.MaxLines } parts || parts.Any(part => part is null)
            || parts.Sum(part => Encoding.UTF8.GetByteCount(part)) > MultilineMessage.MaxBytes
            || envelope.ConcatParts is { } concat && (concat.Count > parts.Count || concat.Any(index => index <= 0 || index >= parts.Count)))
        {
            return message;
        }

        return message with { Parts = [.. parts.Select(part => TextSanitizer.Sanitize(part, keepIrcFormatting: true))], ConcatParts = envelope.ConcatParts };
    }

    private string? Line(string? text, bool keepIrcFormatting)
    {
        if (text is null || Encoding.UTF8.GetByteCount(text) > MaxTextBytes)
        {
            return null;
        }

        return TextSanitizer.Sanitize(text, keepIrcFormatting);
    }

    // A room's join or part notice, in the words of the member's node: it must still read as this member's.
    private string? Notice(string? text, string nick) =>
        Line(text) is { } notice && (notice.StartsWith(nick + " has ", StringComparison.Ordinal) || notice.StartsWith(nick + " was ", StringComparison.Ordinal))
            ? notice
            : null;

    // An address, a reason, an actor's name: sanitised and short.
    private static string? Short(string? text) =>
        text is null ? null : TextSanitizer.Sanitize(text.Length > MaxShortTextChars ? text[..MaxShortTextChars] : text);
}
