using System.Globalization;
using System.Text;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// Words a <see cref="Delivery"/> as IRC lines for one recipient. What a member did (a line, a join, a nick) reads
/// the same to every IRC client of the same capabilities, so it is rendered once per broadcast and shared; what the
/// server says to a recipient by name (a notice) is rendered for each. A text too long for one IRC line is split
/// over several, at character boundaries.
/// </summary>
internal static class IrcRenderer
{
    // One rendering per combination of the two capabilities that change a line: server-time and message-tags.
    private static readonly int Untagged = RenderSlot.Claim();
    private static readonly int Timed = RenderSlot.Claim();
    private static readonly int Tagged = RenderSlot.Claim();
    private static readonly int TimedAndTagged = RenderSlot.Claim();

    public static byte[]? Render(Delivery delivery, ChatMember recipient, IrcCapabilities capabilities, string serverName)
    {
        var timed = (capabilities & IrcCapabilities.ServerTime) != 0;
        var tagged = (capabilities & IrcCapabilities.MessageTags) != 0;
        if (delivery.Kind == DeliveryKind.TagMessage && !tagged)
        {
            return null; // Tags alone mean nothing to a client that takes no tags.
        }

        if (delivery.Multiline is not null && TakesMultiline(capabilities))
        {
            // The whole message with its first part; the others were in it. Rare enough to render for each.
            return delivery.ContinuesMultiline ? null : MultilineBatch(delivery, capabilities, label: null);
        }

        if (IsShared(delivery))
        {
            return (timed, tagged) switch
            {
                (false, false) => delivery.RenderOnce(Untagged, static d => Encode(Shared(d, tags: null))),
                (true, false) => delivery.RenderOnce(Timed, static d => Encode(Shared(d, Tags(d, timed: true, tagged: false)))),
                (false, true) => delivery.RenderOnce(Tagged, static d => Encode(Shared(d, Tags(d, timed: false, tagged: true)))),
                (true, true) => delivery.RenderOnce(TimedAndTagged, static d => Encode(Shared(d, Tags(d, timed: true, tagged: true)))),
            };
        }

        var lines = ForRecipient(delivery, recipient, capabilities, serverName, Tags(delivery, timed, tagged));
        return lines is null ? null : Encode(lines);
    }

    // The tags a recipient of these capabilities gets: msgid and the sender's client-only tags with message-tags, the
    // time with server-time.
    private static string? Tags(Delivery d, bool timed, bool tagged)
    {
        var message = d.Kind is DeliveryKind.Line or DeliveryKind.Action or DeliveryKind.Private or DeliveryKind.PrivateSent or DeliveryKind.TagMessage;
        var tags = new StringBuilder();
        if (tagged && message)
        {
            // A multiline message's id is its first part's, as a client that takes the whole gets it (IRCv3).
            if (!d.ContinuesMultiline)
            {
                tags.Append("msgid=").Append(d.MessageId);
            }

            if (!string.IsNullOrEmpty(d.ClientTags))
            {
                tags.Append(tags.Length > 0 ? ";" : string.Empty).Append(d.ClientTags);
            }
        }

        if (timed)
        {
            tags.Append(tags.Length > 0 ? ";" : string.Empty).Append(TimeTag(d.At));
        }

        return tags.Length == 0 ? null : tags.ToString();
    }

    /// <summary>The <c>time</c> tag of IRCv3 server-time, in UTC to the millisecond.</summary>
    public static string TimeTag(DateTimeOffset at) =>
        "time=" + (at == default ? DateTimeOffset.UtcNow : at).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // Members' deeds: the same lines for every recipient.
    private static bool IsShared(Delivery delivery) => delivery.Kind switch
    {
        DeliveryKind.Line or DeliveryKind.Action or DeliveryKind.Renamed or DeliveryKind.RoomJoined or DeliveryKind.RoomParted => delivery.From is not null,
        DeliveryKind.Departed => delivery.From is not null && delivery.Departed is null,
        DeliveryKind.RoomRemoved or DeliveryKind.Topic or DeliveryKind.Mode or DeliveryKind.TagMessage => delivery.From is not null && delivery.Room is not null,
        _ => false,
    };

    private static List<string> Shared(Delivery d, string? tags)
    {
        var source = d.From!.ToString();
        var room = d.RoomName ?? string.Empty;
        return d.Kind switch
        {
            DeliveryKind.Line => Split(tags, source, d.IsNotice ? "NOTICE" : "PRIVMSG", room, d.Text ?? string.Empty, oneLine: CameAsOneIrcLine(d)),
            DeliveryKind.Action => Split(tags, source, "PRIVMSG", room, d.Text ?? string.Empty, action: true, oneLine: CameAsOneIrcLine(d)),
            DeliveryKind.Renamed => [IrcLine.Build(tags, source, "NICK", trailingLast: false, d.Text ?? string.Empty)],
            DeliveryKind.RoomJoined => [IrcLine.Build(tags, source, "JOIN", trailingLast: false, room)],
            DeliveryKind.RoomParted => [Fitted(tags, source, "PART", room, d.Text ?? string.Empty)],
            DeliveryKind.Departed => [Fitted(tags, source, "QUIT", QuitReason(d.Text))],
            DeliveryKind.RoomRemoved => [Fitted(tags, d.Actor?.ToString() ?? source, "KICK", room, d.From.Nick, d.Text ?? string.Empty)],
            DeliveryKind.Topic => [Fitted(tags, source, "TOPIC", room, d.Text ?? string.Empty)],
            DeliveryKind.Mode => ModeLines(tags, source, room, d.Text ?? string.Empty),
            DeliveryKind.TagMessage => [IrcLine.Build(tags, source, "TAGMSG", trailingLast: false, room)],
            _ => [],
        };
    }

    private static List<string>? ForRecipient(Delivery d, ChatMember recipient, IrcCapabilities capabilities, string server, string? tags)
    {
        var nick = recipient.Nick;
        switch (d.Kind)
        {
            case DeliveryKind.Arrived when d.From is not null:
                // Told to those who share a room with the newcomer: a JOIN for each room they share.
                var joins = new List<string>();
                foreach (var room in recipient.Rooms)
                {
                    if (d.Rooms?.Contains(room.Name, RoomName.Comparer) == true)
                    {
                        joins.Add(IrcLine.Build(tags, d.From.ToString(), "JOIN", trailingLast: false, room.Name));
                    }
                }

                return joins.Count == 0 ? null : joins;
            case DeliveryKind.Departed when d.Departed is { } departed:
                return [.. departed.Select(who => Fitted(tags, who.ToString(), "QUIT", QuitReason(d.Text)))];
            case DeliveryKind.Private when d.From is not null:
                return Split(tags, d.From.ToString(), d.IsNotice ? "NOTICE" : "PRIVMSG", nick, d.Text ?? string.Empty, oneLine: CameAsOneIrcLine(d));
            case DeliveryKind.PrivateSent when d.From is not null:
                return (capabilities & IrcCapabilities.EchoMessage) != 0
                    ? Split(tags, d.From.ToString(), d.IsNotice ? "NOTICE" : "PRIVMSG", d.Target ?? nick, d.Text ?? string.Empty, oneLine: CameAsOneIrcLine(d))
                    : null;
            case DeliveryKind.Announcement when d.Room is not null:
                return Split(tags, server, "NOTICE", d.Room.Name, "Announcement: " + d.Text);
            case DeliveryKind.RoomRemoved when d.RoomName is not null:
                return [Fitted(tags, d.Actor?.ToString() ?? server, "KICK", d.RoomName, d.From?.Nick ?? nick, d.Text ?? string.Empty)];
            case DeliveryKind.Topic when d.RoomName is not null:
                return [Fitted(tags, d.From?.ToString() ?? server, "TOPIC", d.RoomName, d.Text ?? string.Empty)];
            case DeliveryKind.TagMessage when d.From is not null:
                return [IrcLine.Build(tags, d.From.ToString(), "TAGMSG", trailingLast: false, d.Target ?? nick)];
            case DeliveryKind.Invite when d.From is not null && d.RoomName is not null:
                return [IrcLine.Build(tags, d.From.ToString(), "INVITE", trailingLast: false, nick, d.RoomName)];
            case DeliveryKind.BannerChanged when d.BannerLines is { } lines:
                return [IrcLine.Build(tags, server, "NOTICE", trailingLast: true, nick, "The message of the day has changed:"),
                    .. lines.Select(line => IrcLine.Build(tags, server, "NOTICE", trailingLast: true, nick, "- " + line))];
            case DeliveryKind.Mode:
                return null; // A mode change with no member behind it: none is made.
            case DeliveryKind.AwayChanged:
                // Only to clients that asked for away-notify; AWAY with no parameter says they are back.
                return (capabilities & IrcCapabilities.AwayNotify) == 0 || d.From is null ? null
                    : d.Text is null ? [IrcLine.Build(tags, d.From.ToString(), "AWAY", trailingLast: false)]
                    : [IrcLine.Build(tags, d.From.ToString(), "AWAY", trailingLast: true, d.Text)];
            case DeliveryKind.Redacted:
                // Never to a client that did not ask (IRCv3): it would not know what to take back.
                // An administrator's redaction comes from the server.
                return (capabilities & IrcCapabilities.MessageRedaction) == 0 || d.RoomName is null || d.Target is null ? null
                    : d.Text is null ? [IrcLine.Build(tags, d.From?.ToString() ?? server, "REDACT", trailingLast: false, d.RoomName, d.Target)]
                    : [Fitted(tags, d.From?.ToString() ?? server, "REDACT", d.RoomName, d.Target, d.Text)];
            case DeliveryKind.RealNameChanged:
                return (capabilities & IrcCapabilities.SetName) == 0 || d.From is null ? null
                    : [IrcLine.Build(tags, d.From.ToString(), "SETNAME", trailingLast: true, d.Text ?? string.Empty)];
            default:
                // Everything else the server says in its own words: a notice to the recipient.
                var text = d.Line;
                if (text.StartsWith(ChatLine.NoticePrefix, StringComparison.Ordinal))
                {
                    text = text[ChatLine.NoticePrefix.Length..];
                }
                else if (text.StartsWith(ChatLine.ErrorPrefix, StringComparison.Ordinal))
                {
                    text = text[ChatLine.ErrorPrefix.Length..];
                }

                return text.Length == 0 ? null : Split(tags, server, "NOTICE", nick, text);
        }
    }

    /// <summary>True for a client that gets a multiline message whole: it asked for draft/multiline and batch.</summary>
    public static bool TakesMultiline(IrcCapabilities capabilities) =>
        (capabilities & (IrcCapabilities.Multiline | IrcCapabilities.Batch)) == (IrcCapabilities.Multiline | IrcCapabilities.Batch);

    /// <summary>
    /// A multiline message whole, from its first part's delivery: a <c>draft/multiline</c> BATCH (the message's id, time and
    /// client tags on its start, with <paramref name="label"/> when it answers a labeled command) holding every part, blank
    /// ones too, a part that continues the one before marked <c>draft/multiline-concat</c>.
    /// </summary>
    public static byte[] MultilineBatch(Delivery first, IrcCapabilities capabilities, string? label)
    {
        var message = first.Multiline!;
        var source = first.From!.ToString();
        var target = first.RoomName ?? first.Target ?? string.Empty;
        var reference = first.MessageId;
        var tags = Tags(first, timed: (capabilities & IrcCapabilities.ServerTime) != 0, tagged: (capabilities & IrcCapabilities.MessageTags) != 0);
        if (label is not null)
        {
            tags = "label=" + label + (tags is null ? string.Empty : ";" + tags);
        }

        var lines = new List<string>(message.Parts.Count + 2) { IrcLine.Build(tags, source, "BATCH", trailingLast: false, "+" + reference, MultilineBatchType, target) };
        var command = message.IsNotice ? "NOTICE" : "PRIVMSG";
        foreach (var part in message.Parts)
        {
            var partTags = part.Concat ? "batch=" + reference + ";" + MultilineConcatTag : "batch=" + reference;
            lines.AddRange(Split(partTags, source, command, target, part.Text, oneLine: true));
        }

        lines.Add(IrcLine.Build(null, source, "BATCH", trailingLast: false, "-" + reference));
        return Encode(lines);
    }

    /// <summary>The BATCH type of a multiline message (IRCv3 draft/multiline).</summary>
    public const string MultilineBatchType = "draft/multiline";

    /// <summary>The tag on a part that continues the line before it.</summary>
    public const string MultilineConcatTag = "draft/multiline-concat";

    // What an IRC client sent as one line goes out as one, cut if its sender's longer prefix pushes it past 512 bytes
    // (as IRC servers do); a netcat line, which may be far longer, is split instead.
    private static bool CameAsOneIrcLine(Delivery d) => d.From?.Host == "irc";

    private static string QuitReason(string? reason) => string.IsNullOrEmpty(reason) ? "Quit" : reason.StartsWith("quit: ", StringComparison.Ordinal) ? "Quit: " + reason[6..] : reason;

    /// <summary>
    /// <c>:source COMMAND target :text</c>, over as many lines as the text needs to keep each within 512 bytes; an
    /// action is wrapped in CTCP on every line.
    /// </summary>
    public static List<string> Split(string? tags, string source, string command, string target, string text, bool action = false, bool oneLine = false)
    {
        var head = IrcLine.Build(tags: null, source, command, trailingLast: true, target, "x");
        var before = Encoding.UTF8.GetByteCount(head) - 1 + (action ? 9 : 0); // "x" stands for the text.
        var lines = new List<string>(1);
        var rest = text;
        do
        {
            var part = IrcLine.FitTrailing(rest, before);
            if (part.Length == 0 && rest.Length > 0)
            {
                break; // No room for even one character: a target or source too long to answer.
            }

            rest = oneLine ? string.Empty : rest[part.Length..];
            lines.Add(IrcLine.Build(tags, source, command, trailingLast: true, target, action ? IrcFormatting.AsAction(part) : part));
        }
        while (rest.Length > 0);

        return lines;
    }

    /// <summary>
    /// <c>:source COMMAND params... :trailing</c>, the trailing text (a reason, a topic) cut at a character boundary
    /// where the line would pass 512 bytes: a long nickname and user name leave less room than the sender had.
    /// </summary>
    private static string Fitted(string? tags, string source, string command, params ReadOnlySpan<string> parameters)
    {
        var head = IrcLine.Build(tags: null, source, command, trailingLast: true, [.. parameters[..^1], "x"]);
        var trailing = IrcLine.FitTrailing(parameters[^1], Encoding.UTF8.GetByteCount(head) - 1); // "x" stands for the text.
        return IrcLine.Build(tags, source, command, trailingLast: true, [.. parameters[..^1], trailing]);
    }

    /// <summary>
    /// ISUPPORT MODES: the changes one MODE line from the server carries at most, and the changes with a parameter one
    /// client's MODE command may make.
    /// </summary>
    public const int ModesPerLine = 4;

    /// <summary>
    /// True when a room mode change carries a parameter: a ban, a key (its "*" when cleared), op or voice, and a limit
    /// when it is set. ISUPPORT MODES counts these.
    /// </summary>
    public static bool TakesParameter(char mode, bool adding) => mode is 'b' or 'e' or 'I' or 'k' or 'o' or 'v' || (mode == 'l' && adding);

    /// <summary>
    /// A room's mode changes (<c>+bo-k mask nick *</c>) as MODE lines of at most <see cref="ModesPerLine"/> changes
    /// each, a change starting a new line too where it would take its line past 512 bytes.
    /// </summary>
    public static List<string> ModeLines(string? tags, string source, string room, string modes)
    {
        var words = modes.Split(' ');
        var arguments = new Queue<string>(words.Skip(1));
        var changes = new List<(bool Adding, char Mode, string? Argument)>();
        var adding = true;
        foreach (var c in words[0])
        {
            if (c is '+' or '-')
            {
                adding = c == '+';
            }
            else
            {
                changes.Add((adding, c, TakesParameter(c, adding) && arguments.TryDequeue(out var argument) ? argument : null));
            }
        }

        var lines = new List<string>();
        var start = 0;
        for (var end = 1; end <= changes.Count; end++)
        {
            var tooMany = end - start > ModesPerLine;
            if (tooMany || (end - start > 1 && Encoding.UTF8.GetByteCount(ModeLine(null, source, room, changes[start..end])) > IrcLine.MaxBytes - 2))
            {
                lines.Add(ModeLine(tags, source, room, changes[start..(end - 1)]));
                start = end - 1;
            }
        }

        if (start < changes.Count)
        {
            lines.Add(ModeLine(tags, source, room, changes[start..]));
        }

        return lines;
    }

    private static string ModeLine(string? tags, string source, string room, List<(bool Adding, char Mode, string? Argument)> changes)
    {
        var letters = new StringBuilder();
        bool? sign = null;
        foreach (var (adding, mode, _) in changes)
        {
            if (sign != adding)
            {
                letters.Append(adding ? '+' : '-');
                sign = adding;
            }

            letters.Append(mode);
        }

        return IrcLine.Build(tags, source, "MODE", trailingLast: false, [room, letters.ToString(), .. changes.Select(change => change.Argument).OfType<string>()]);
    }

    private static byte[] Encode(List<string> lines)
    {
        if (lines.Count == 1)
        {
            return LineEncoder.Encode(lines[0]);
        }

        return LineEncoder.Encode(string.Join("\r\n", lines));
    }
}
