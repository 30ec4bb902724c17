using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// PRIVMSG, NOTICE and TAGMSG, to rooms and to nicknames on any node; a CTCP ACTION is the chat's action (<c>/me</c>).
/// A client's own tags (<c>+name=value</c>) travel with its message to clients that take message-tags.
/// </summary>
internal sealed partial class IrcSession
{
    /// <summary>Targets one PRIVMSG, NOTICE or TAGMSG may name (TARGMAX).</summary>
    private const int MaxTargets = 4;

    private const string BotTag = "bot";

    private void OnMessage(IrcMessage message, long receivedAt)
    {
        var command = message.Command;
        var notice = command == "NOTICE";
        var tagsOnly = command == "TAGMSG";
        if (message.Count == 0 || message[0]!.Length == 0)
        {
            SendNumeric(IrcNumerics.NoRecipient, $"No recipient given ({command})");
            return;
        }

        // Nothing but formatting codes or spaces is no text: a netcat user would see an empty line.
        var text = message[1];
        if (!tagsOnly && string.IsNullOrWhiteSpace(IrcFormatting.Strip(text ?? string.Empty)))
        {
            SendNumeric(IrcNumerics.NoTextToSend, "No text to send");
            return;
        }

        var clientTags = BotTagged(ClientTagsOf(message.Tags));

        // A target named twice gets the message once; those past TARGMAX are refused by name (a NOTICE is answered
        // with nothing, as everywhere).
        var targets = message[0]!.Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct(RoomName.Comparer).ToArray();
        foreach (var target in targets.Take(MaxTargets))
        {
            // "@#room" (STATUSMSG) reaches the room's operators only.
            var toOperators = target.StartsWith("@#", StringComparison.Ordinal);
            var name = toOperators ? target[1..] : target;
            if (toOperators && !tagsOnly)
            {
                SayToOperators(name, text!, notice);
            }
            else if (RoomName.LooksLikeOne(name))
            {
                SayInRoom(name, tagsOnly ? null : text, notice, receivedAt, clientTags);
            }
            else
            {
                SayPrivately(name, tagsOnly ? null : text, notice, clientTags);
            }
        }

        foreach (var excess in targets.Skip(MaxTargets))
        {
            if (!notice)
            {
                SendNumeric(IrcNumerics.TooManyTargets, excess, "Too many targets");
            }
        }
    }

    // Only client-only tags (a '+' before the name) are relayed, as received (still escaped).
    private static string? ClientTagsOf(string? tags)
    {
        if (string.IsNullOrEmpty(tags))
        {
            return null;
        }

        var kept = tags.Split(';', StringSplitOptions.RemoveEmptyEntries).Where(tag => tag.Length > 1 && tag[0] == '+').ToArray();
        return kept.Length == 0 ? null : string.Join(';', kept);
    }

    private void SayInRoom(string name, string? text, bool notice, long receivedAt, string? clientTags)
    {
        var room = FindMyRoom(name);
        if (room is not null && !room.MaySpeak(Member))
        {
            SendNumeric(IrcNumerics.CannotSendToChannel, room.Name, "Cannot send to channel (+m, or banned)");
            return;
        }

        if (room is null)
        {
            if (RoomName.Validate(name) is not null || Chat.ListingOf(name) is null)
            {
                if (!notice)
                {
                    SendNumeric(IrcNumerics.NoSuchChannel, name, "No such channel"); // Nothing answers a NOTICE.
                }
            }
            else if (text is not null && Chat.FindRoom(name) is { } outside && Chat.SayFromOutside(outside, Member, text, notice) is { } said)
            {
                if (Has(IrcCapabilities.EchoMessage))
                {
                    Member.Deliver(said);
                }
            }
            else if (!notice)
            {
                // +n: a room takes no lines from outside.
                SendNumeric(IrcNumerics.CannotSendToChannel, name, "Cannot send to channel");
            }

            return;
        }

        // +C: a CTCP request other than ACTION is refused (a NOTICE, CTCP's replies, silently).
        if (room.NoCtcp && text is [IrcFormatting.CtcpDelimiter, ..] && IrcFormatting.ActionOf(text) is null)
        {
            if (!notice)
            {
                SendNumeric(IrcNumerics.CannotSendToChannel, room.Name, "Cannot send to channel (+C: no CTCP but ACTION)");
            }

            return;
        }

        Delivery? delivery;
        if (text is null)
        {
            delivery = Chat.TagIn(room, Member, clientTags ?? string.Empty);
        }
        else if (IrcFormatting.ActionOf(text) is { } action)
        {
            delivery = Chat.SayIn(room, Member, action, action: true, receivedAt, clientTags: clientTags);
        }
        else if (text[0] == IrcFormatting.CtcpDelimiter)
        {
            SayCtcpInRoom(room, text, notice);
            return;
        }
        else
        {
            delivery = Chat.SayIn(room, Member, text, action: false, receivedAt, notice, clientTags);
        }

        // The echo is what the others got, id and all.
        if (delivery is not null && Has(IrcCapabilities.EchoMessage))
        {
            Member.Deliver(delivery);
        }
    }

    // A CTCP request other than ACTION (VERSION, DCC, ...) to a room is for clients that answer it: the room's IRC
    // members on this node see it; netcat and web users, whose terminals would show it as a line, do not, and it is
    // not stored.
    private void SayCtcpInRoom(Room room, string text, bool notice)
    {
        var delivery = Chat.UnstoredLine(room, Member, text, notice);
        foreach (var member in room.Members.Snapshot())
        {
            if (member.Door == Member.Door && (!ReferenceEquals(member, Member) || Has(IrcCapabilities.EchoMessage)))
            {
                member.Deliver(delivery);
            }
        }
    }

    // A netcat or web user cannot answer CTCP, so the server answers for them; what it cannot answer (DCC, or text
    // after a stray ^A) is refused with CTCP's ERRMSG, so the sender knows it was not delivered.
    private void AnswerCtcpFor(ChatMember target, string request)
    {
        var space = request.IndexOf(' ', StringComparison.Ordinal);
        var command = (space < 0 ? request : request[..space]).ToUpperInvariant();
        var answer = command switch
        {
            "VERSION" => "VERSION CatChat " + target.Door + " user (no IRC client)",
            "PING" => request,
            "TIME" => "TIME " + Time.GetUtcNow().UtcDateTime.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            "CLIENTINFO" => "CLIENTINFO ACTION CLIENTINFO PING TIME VERSION",
            _ => "ERRMSG " + IrcFormatting.Strip(request) + " :Not delivered: " + target.Nick + " has no IRC client to answer it",
        };
        Send(IrcLine.Build(null, target.Identity.ToString(), "NOTICE", trailingLast: true, Member.Nick, IrcFormatting.CtcpDelimiter + answer + IrcFormatting.CtcpDelimiter));
    }

    // A line to a room's operators on this node only (IRC's STATUSMSG): not stored, not sent to other nodes.
    private void SayToOperators(string name, string text, bool notice)
    {
        var room = FindMyRoom(name);
        if (room is null || !room.MaySpeak(Member))
        {
            if (!notice)
            {
                SendNumeric(IrcNumerics.CannotSendToChannel, name, "Cannot send to channel");
            }

            return;
        }

        var plain = IrcFormatting.Strip(text);
        var delivery = new Delivery(DeliveryKind.Line, ChatLine.Message(Member.Nick, "(to operators) " + plain))
        {
            Nick = Member.Nick,
            From = Member.Identity,
            Room = room,
            RoomName = "@" + room.Name,
            Text = text,
            IsNotice = notice,
            At = Time.GetUtcNow(),
        };
        foreach (var member in room.Members.Snapshot())
        {
            if (room.IsOperator(member) && (!ReferenceEquals(member, Member) || Has(IrcCapabilities.EchoMessage)))
            {
                member.Deliver(delivery);
            }
        }
    }

    private void SayPrivately(string nick, string? text, bool notice, string? clientTags)
    {
        if (text is null)
        {
            Delivery? tagged;
            using (string.Equals(nick, Member.Nick, StringComparison.OrdinalIgnoreCase) ? HoldNoReplies() : null)
            {
                tagged = Chat.TagTo(Member, nick, clientTags ?? string.Empty); // To oneself the arrival is no reply; the echo is.
            }

            if (tagged is null)
            {
                SendNumeric(IrcNumerics.NoSuchNick, nick, "No such nick/channel");
            }
            else if (Has(IrcCapabilities.EchoMessage))
            {
                Member.Deliver(tagged);
            }

            return;
        }

        // A CTCP request (VERSION, PING, ...) to someone whose client cannot answer it (netcat) is answered here, on
        // their behalf, rather than shown to them as a line of text.
        if (text.Length > 1 && text[0] == IrcFormatting.CtcpDelimiter && IrcFormatting.ActionOf(text) is null
            && Chat.Find(nick) is { } plain && plain.Door != Member.Door)
        {
            if (!notice)
            {
                AnswerCtcpFor(plain, text.Trim(IrcFormatting.CtcpDelimiter));
            }

            return;
        }

        // The echo, if asked for, is the chat's own delivery to the sender (see IrcRenderer).
        var (recipient, error) = Chat.SendPrivate(Member, nick, text, notice, clientTags);
        if (error is not null)
        {
            if (!notice)
            {
                SendNumeric(IrcNumerics.NoSuchNick, nick, "No such nick/channel");
            }

            return;
        }

        if (ChatOptions.HistoryPrivate)
        {
            Chat.RecordPrivate(Member, recipient!, text);
        }

        if (!notice && Chat.Find(recipient!) is { AwayMessage: { } away })
        {
            SendNumeric(IrcNumerics.Away, recipient!, away);
        }
    }
}
