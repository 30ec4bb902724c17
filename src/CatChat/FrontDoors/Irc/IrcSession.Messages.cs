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
    /// <summary>Targets one PRIVMSG or NOTICE may name (TARGMAX).</summary>
    private const int MaxTargets = 4;

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

        var text = message[1];
        if (!tagsOnly && string.IsNullOrEmpty(text))
        {
            SendNumeric(IrcNumerics.NoTextToSend, "No text to send");
            return;
        }

        var clientTags = ClientTagsOf(message.Tags);
        foreach (var target in message[0]!.Split(',', StringSplitOptions.RemoveEmptyEntries).Take(MaxTargets))
        {
            // "@#room" (STATUSMSG) reaches the room's operators in IRC; CatChat sends it to the room.
            var name = target.StartsWith("@#", StringComparison.Ordinal) ? target[1..] : target;
            if (RoomName.LooksLikeOne(name))
            {
                SayInRoom(name, tagsOnly ? null : text, notice, receivedAt, clientTags);
            }
            else
            {
                SayPrivately(name, tagsOnly ? null : text, notice, clientTags);
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
        if (room is null)
        {
            if (RoomName.Validate(name) is not null || Chat.ListingOf(name) is null)
            {
                SendNumeric(IrcNumerics.NoSuchChannel, name, "No such channel");
            }
            else
            {
                // +n: a room takes no lines from outside.
                SendNumeric(IrcNumerics.CannotSendToChannel, name, "Cannot send to channel");
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

    private void SayPrivately(string nick, string? text, bool notice, string? clientTags)
    {
        if (text is null)
        {
            if (Chat.TagTo(Member, nick, clientTags ?? string.Empty) is not { } tagged)
            {
                SendNumeric(IrcNumerics.NoSuchNick, nick, "No such nick/channel");
            }
            else if (Has(IrcCapabilities.EchoMessage))
            {
                Member.Deliver(tagged);
            }

            return;
        }

        // The echo, if asked for, is the chat's own delivery to the sender (see IrcRenderer).
        var (recipient, error) = Chat.SendPrivate(Member, nick, text, notice, clientTags);
        if (error is not null)
        {
            SendNumeric(IrcNumerics.NoSuchNick, nick, "No such nick/channel");
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
