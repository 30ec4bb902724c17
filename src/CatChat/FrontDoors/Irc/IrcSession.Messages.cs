using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>PRIVMSG and NOTICE, to rooms and to nicknames on any node; a CTCP ACTION is the chat's action (<c>/me</c>).</summary>
internal sealed partial class IrcSession
{
    /// <summary>Targets one PRIVMSG or NOTICE may name (TARGMAX).</summary>
    private const int MaxTargets = 4;

    private void OnMessage(IrcMessage message, long receivedAt)
    {
        var command = message.Command;
        var notice = command == "NOTICE";
        if (message.Count == 0 || message[0]!.Length == 0)
        {
            SendNumeric(IrcNumerics.NoRecipient, $"No recipient given ({command})");
            return;
        }

        var text = message[1];
        if (string.IsNullOrEmpty(text))
        {
            SendNumeric(IrcNumerics.NoTextToSend, "No text to send");
            return;
        }

        var targets = message[0]!.Split(',', StringSplitOptions.RemoveEmptyEntries);
        foreach (var target in targets.Take(MaxTargets))
        {
            // "@#room" (STATUSMSG) reaches the room's operators in IRC; CatChat sends it to the room.
            var name = target.StartsWith("@#", StringComparison.Ordinal) ? target[1..] : target;
            if (RoomName.LooksLikeOne(name))
            {
                SayInRoom(command, name, text, notice, receivedAt);
            }
            else
            {
                // The echo, if asked for, is the chat's own delivery to the sender (see IrcRenderer).
                SayPrivately(name, text, notice);
            }
        }
    }

    private void SayInRoom(string command, string name, string text, bool notice, long receivedAt)
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

        var action = IrcFormatting.ActionOf(text);
        if (action is not null)
        {
            Chat.SayIn(room, Member, action, action: true, receivedAt);
        }
        else
        {
            Chat.SayIn(room, Member, text, action: false, receivedAt, notice);
        }

        if (Has(IrcCapabilities.EchoMessage))
        {
            SendFromSelf(command, trailingLast: true, room.Name, text);
        }
    }

    private void SayPrivately(string nick, string text, bool notice)
    {
        var (recipient, error) = Chat.SendPrivate(Member, nick, text, notice);
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
