using System.Collections.Frozen;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>HELP and HELPOP: a line or two on each command, as the numerics of Modern IRC (704, 705, 706, 524).</summary>
internal sealed partial class IrcSession
{
    private static readonly FrozenDictionary<string, string[]> HelpTopics = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["AWAY"] = ["AWAY [:message]", "Marks you away with a message, or back without one."],
        ["INVITE"] = ["INVITE nick #room", "Invites someone into a room (needed for +i rooms)."],
        ["ISON"] = ["ISON nick [nick ...]", "Which of these nicknames are online."],
        ["JOIN"] = ["JOIN #room[,#room] [key[,key]]", "Joins rooms; the first member of a room is its operator."],
        ["KICK"] = ["KICK #room nick [:reason]", "Puts someone out of a room (room operators)."],
        ["LINKS"] = ["LINKS [mask]", "The servers of this network: the nodes of the CatChat cluster."],
        ["LIST"] = ["LIST [#room[,#room]]", "The rooms, with their member counts and topics."],
        ["MODE"] = ["MODE #room [+|-modes [arguments]]", "Room modes: b k l i m n s t C o v. Your own: i w o."],
        ["MONITOR"] = ["MONITOR + nick[,nick] | - nick[,nick] | C | L | S", "Be told when these nicknames come online and go offline."],
        ["MOTD"] = ["MOTD", "The server's banner again."],
        ["NAMES"] = ["NAMES #room", "Who is in a room."],
        ["NICK"] = ["NICK newnick", "Changes your nickname (one namespace with netcat users)."],
        ["NOTICE"] = ["NOTICE target :text", "Like PRIVMSG, but never answered automatically."],
        ["PART"] = ["PART #room[,#room] [:reason]", "Leaves rooms."],
        ["PRIVMSG"] = ["PRIVMSG #room|nick :text", "Says something in a room, or privately to someone (netcat users too)."],
        ["QUIT"] = ["QUIT [:message]", "Leaves the chat."],
        ["TOPIC"] = ["TOPIC #room [:topic]", "Shows or sets a room's topic."],
        ["WHO"] = ["WHO #room|mask [%fields]", "Who is in a room, or whose nickname matches a mask."],
        ["WHOIS"] = ["WHOIS nick", "Who someone is, which rooms they are in, and which server has them."],
        ["WHOWAS"] = ["WHOWAS nick", "Who recently had a nickname."],
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private void OnHelp(IrcMessage message)
    {
        // Only a word is echoed back: the subject is a middle parameter of the replies.
        var subject = message[0] is { Length: > 0 and <= 32 } asked && asked.All(char.IsAsciiLetterOrDigit) ? asked : "*";
        string[] lines;
        if (subject == "*" || subject.Equals("index", StringComparison.OrdinalIgnoreCase))
        {
            lines = ["CatChat's IRC commands; HELP <command> tells more.", string.Join(' ', HelpTopics.Keys.Order(StringComparer.Ordinal))];
        }
        else if (!HelpTopics.TryGetValue(subject, out lines!))
        {
            SendNumeric(IrcNumerics.HelpNotFound, subject, "No help available on this topic");
            return;
        }

        SendNumeric(IrcNumerics.HelpStart, subject, lines[0]);
        foreach (var line in lines.AsSpan(1))
        {
            SendNumeric(IrcNumerics.HelpText, subject, line);
        }

        SendNumeric(IrcNumerics.EndOfHelp, subject, "End of /HELP");
    }
}
