using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// IRCv3 message redaction (<c>draft/message-redaction</c>): <c>REDACT #room msgid [:reason]</c> takes back a recent
/// line of the room, its author's own or any as the room's operator; clients that asked for the capability are told
/// with a REDACT, the others (and netcat terminals, whose lines cannot be unprinted) are not.
/// </summary>
internal sealed partial class IrcSession
{
    private void OnRedact(IrcMessage message)
    {
        if (message.Count < 2 || message[0]!.Length == 0 || message[1]!.Length == 0)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "REDACT", "Not enough parameters");
            return;
        }

        var target = message[0]!;
        if (FindMyRoom(target) is not { } room)
        {
            // Private messages are not kept where they could be taken back, so a nickname is no target either.
            FailRedact("INVALID_TARGET", "You cannot redact messages there", RoomName.Validate(target) is null ? target : "*");
            return;
        }

        var id = message[1]!;
        if (!MessageIds.IsWellFormed(id))
        {
            FailRedact("UNKNOWN_MSGID", "No such message", room.Name, "*");
            return;
        }

        var reason = message[2] is { Length: > 0 } given ? given : null;
        switch (Chat.Redact(room, Member, id, reason))
        {
            case RedactionOutcome.UnknownMessage:
                FailRedact("UNKNOWN_MSGID", "No such message among the channel's recent ones", room.Name, id);
                break;
            case RedactionOutcome.Forbidden:
                FailRedact("REDACT_FORBIDDEN", "Only its author or a channel operator may redact a message", room.Name, id);
                break;
            case RedactionOutcome.NotInRoom:
                FailRedact("INVALID_TARGET", "You're not on that channel", room.Name);
                break;
        }
    }

    private void FailRedact(string code, string description, params string[] context) =>
        Send(IrcLine.Build(null, ServerName, "FAIL", trailingLast: true, ["REDACT", code, .. context, description]));
}
