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
    private static readonly int Untagged = RenderSlot.Claim();
    private static readonly int Timed = RenderSlot.Claim();

    public static byte[]? Render(Delivery delivery, ChatMember recipient, IrcCapabilities capabilities, string serverName)
    {
        var timed = (capabilities & IrcCapabilities.ServerTime) != 0;
        if (IsShared(delivery))
        {
            return timed
                ? delivery.RenderOnce(Timed, static d => Encode(Shared(d, TimeTag(d.At))))
                : delivery.RenderOnce(Untagged, static d => Encode(Shared(d, tags: null)));
        }

        var lines = ForRecipient(delivery, recipient, capabilities, serverName, timed ? TimeTag(delivery.At) : null);
        return lines is null ? null : Encode(lines);
    }

    /// <summary>The <c>time</c> tag of IRCv3 server-time, in UTC to the millisecond.</summary>
    public static string TimeTag(DateTimeOffset at) =>
        "time=" + (at == default ? DateTimeOffset.UtcNow : at).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // Members' deeds: the same lines for every recipient.
    private static bool IsShared(Delivery delivery) => delivery.Kind switch
    {
        DeliveryKind.Line or DeliveryKind.Action or DeliveryKind.Renamed or DeliveryKind.RoomJoined or DeliveryKind.RoomParted => delivery.From is not null,
        DeliveryKind.Departed => delivery.From is not null && delivery.Departed is null,
        DeliveryKind.RoomRemoved or DeliveryKind.Topic or DeliveryKind.Mode => delivery.From is not null && delivery.Room is not null,
        _ => false,
    };

    private static List<string> Shared(Delivery d, string? tags)
    {
        var source = d.From!.ToString();
        var room = d.RoomName ?? string.Empty;
        return d.Kind switch
        {
            DeliveryKind.Line => Split(tags, source, d.IsNotice ? "NOTICE" : "PRIVMSG", room, d.Text ?? string.Empty),
            DeliveryKind.Action => Split(tags, source, "PRIVMSG", room, d.Text ?? string.Empty, action: true),
            DeliveryKind.Renamed => [IrcLine.Build(tags, source, "NICK", trailingLast: false, d.Text ?? string.Empty)],
            DeliveryKind.RoomJoined => [IrcLine.Build(tags, source, "JOIN", trailingLast: false, room)],
            DeliveryKind.RoomParted => [IrcLine.Build(tags, source, "PART", trailingLast: true, room, d.Text ?? string.Empty)],
            DeliveryKind.Departed => [IrcLine.Build(tags, source, "QUIT", trailingLast: true, QuitReason(d.Text))],
            DeliveryKind.RoomRemoved => [IrcLine.Build(tags, d.Actor?.ToString() ?? source, "KICK", trailingLast: true, room, d.From.Nick, d.Text ?? string.Empty)],
            DeliveryKind.Topic => [IrcLine.Build(tags, source, "TOPIC", trailingLast: true, room, d.Text ?? string.Empty)],
            DeliveryKind.Mode => [IrcLine.Build(tags, source, "MODE", trailingLast: false, [room, .. (d.Text ?? string.Empty).Split(' ')])],
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
                return [.. departed.Select(who => IrcLine.Build(tags, who.ToString(), "QUIT", trailingLast: true, QuitReason(d.Text)))];
            case DeliveryKind.Private when d.From is not null:
                return Split(tags, d.From.ToString(), d.IsNotice ? "NOTICE" : "PRIVMSG", nick, d.Text ?? string.Empty);
            case DeliveryKind.PrivateSent when d.From is not null:
                return (capabilities & IrcCapabilities.EchoMessage) != 0
                    ? Split(tags, d.From.ToString(), d.IsNotice ? "NOTICE" : "PRIVMSG", d.Target ?? nick, d.Text ?? string.Empty)
                    : null;
            case DeliveryKind.Announcement when d.Room is not null:
                return Split(tags, server, "NOTICE", d.Room.Name, "Announcement: " + d.Text);
            case DeliveryKind.RoomRemoved when d.RoomName is not null:
                return [IrcLine.Build(tags, d.Actor?.ToString() ?? server, "KICK", trailingLast: true, d.RoomName, d.From?.Nick ?? nick, d.Text ?? string.Empty)];
            case DeliveryKind.Topic when d.RoomName is not null:
                return [IrcLine.Build(tags, d.From?.ToString() ?? server, "TOPIC", trailingLast: true, d.RoomName, d.Text ?? string.Empty)];
            case DeliveryKind.Invite when d.From is not null && d.RoomName is not null:
                return [IrcLine.Build(tags, d.From.ToString(), "INVITE", trailingLast: false, nick, d.RoomName)];
            case DeliveryKind.BannerChanged when d.BannerLines is { } lines:
                return [IrcLine.Build(tags, server, "NOTICE", trailingLast: true, nick, "The message of the day has changed:"),
                    .. lines.Select(line => IrcLine.Build(tags, server, "NOTICE", trailingLast: true, nick, "- " + line))];
            case DeliveryKind.Mode:
                return null; // A mode change with no member behind it: none is made.
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

    private static string QuitReason(string? reason) => string.IsNullOrEmpty(reason) ? "Quit" : reason.StartsWith("quit: ", StringComparison.Ordinal) ? "Quit: " + reason[6..] : reason;

    /// <summary>
    /// <c>:source COMMAND target :text</c>, over as many lines as the text needs to keep each within 512 bytes; an
    /// action is wrapped in CTCP on every line.
    /// </summary>
    public static List<string> Split(string? tags, string source, string command, string target, string text, bool action = false)
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

            rest = rest[part.Length..];
            lines.Add(IrcLine.Build(tags, source, command, trailingLast: true, target, action ? IrcFormatting.AsAction(part) : part));
        }
        while (rest.Length > 0);

        return lines;
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
