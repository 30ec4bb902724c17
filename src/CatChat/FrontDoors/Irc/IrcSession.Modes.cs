using System.Globalization;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// MODE: a user's own modes (+i only) and a room's: +o (its operators, the first member being the first), +t (only
/// operators set the topic) and +n (always on: a room takes no lines from outside). Lists (+b, +e, +I) are empty.
/// </summary>
internal sealed partial class IrcSession
{
    private void OnMode(IrcMessage message)
    {
        if (message.Count == 0 || message[0]!.Length == 0)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "MODE", "Not enough parameters");
            return;
        }

        var target = message[0]!;
        if (RoomName.LooksLikeOne(target))
        {
            OnRoomMode(target, message);
        }
        else
        {
            OnUserMode(target, message);
        }
    }

    private void OnUserMode(string nick, IrcMessage message)
    {
        if (!string.Equals(nick, Member.Nick, StringComparison.OrdinalIgnoreCase))
        {
            var exists = Chat.Find(nick) is not null || (Chat.Backplane.IsClustered && Chat.Cluster.Find(nick) is not null);
            if (exists)
            {
                SendNumeric(IrcNumerics.UsersDontMatch, "Can't change mode for other users");
            }
            else
            {
                SendNumeric(IrcNumerics.NoSuchNick, nick, "No such nick/channel");
            }

            return;
        }

        if (message.Count == 1)
        {
            SendNumericPlain(IrcNumerics.UserModeIs, _invisible ? "+i" : "+");
            return;
        }

        var adding = true;
        var changed = string.Empty;
        var unknown = false;
        foreach (var c in message[1]!)
        {
            switch (c)
            {
                case '+':
                    adding = true;
                    break;
                case '-':
                    adding = false;
                    break;
                case 'i':
                    if (_invisible != adding)
                    {
                        _invisible = adding;
                        changed += (adding ? "+" : "-") + "i";
                    }

                    break;
                default:
                    unknown = true;
                    break;
            }
        }

        if (unknown)
        {
            SendNumeric(IrcNumerics.UserModeUnknownFlag, "Unknown MODE flag");
        }

        if (changed.Length > 0)
        {
            Send(IrcLine.Build(null, Source, "MODE", trailingLast: true, Member.Nick, changed));
        }
    }

    private void OnRoomMode(string name, IrcMessage message)
    {
        var room = FindMyRoom(name) ?? Chat.FindRoom(name);
        if (room is null)
        {
            if (Chat.ListingOf(name) is { } elsewhere && message.Count == 1)
            {
                SendNumericPlain(IrcNumerics.ChannelModeIs, elsewhere.Name, "+n");
            }
            else
            {
                SendNumeric(IrcNumerics.NoSuchChannel, name, "No such channel");
            }

            return;
        }

        if (message.Count == 1)
        {
            SendNumericPlain(IrcNumerics.ChannelModeIs, room.Name, room.TopicLocked ? "+nt" : "+n");
            SendNumericPlain(IrcNumerics.CreationTime, room.Name, room.CreatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            return;
        }

        var modes = message[1]!;
        var arguments = new Queue<string>(message.Parameters.Skip(2));
        var adding = true;
        var applied = new List<(bool Adding, char Mode, string? Argument)>();
        foreach (var c in modes)
        {
            switch (c)
            {
                case '+':
                    adding = true;
                    continue;
                case '-':
                    adding = false;
                    continue;
                case 'b' or 'e' or 'I' when arguments.Count == 0:
                    // A list query: CatChat keeps no such lists.
                    var (end, what) = c switch
                    {
                        'b' => ("368", "End of channel ban list"),
                        'e' => ("349", "End of channel exception list"),
                        _ => ("347", "End of channel invite list"),
                    };
                    SendNumeric(end, room.Name, what);
                    continue;
            }

            if (!room.IsOperator(Member))
            {
                SendNumeric(IrcNumerics.ChanOpPrivsNeeded, room.Name, "You're not channel operator");
                return;
            }

            switch (c)
            {
                case 't':
                    if (room.TopicLocked != adding)
                    {
                        room.TopicLocked = adding;
                        applied.Add((adding, 't', null));
                    }

                    break;
                case 'n':
                    break; // Always on.
                case 'o':
                    if (!arguments.TryDequeue(out var nick))
                    {
                        continue;
                    }

                    if (Chat.Find(nick) is not { } member || !member.Rooms.Contains(room))
                    {
                        SendNumeric(IrcNumerics.UserNotInChannel, nick, room.Name, "They aren't on that channel");
                        continue;
                    }

                    if (room.IsOperator(member) != adding)
                    {
                        room.SetOperator(member, adding);
                        applied.Add((adding, 'o', member.Nick));
                    }

                    break;
                default:
                    SendNumeric(IrcNumerics.UnknownMode, c.ToString(), "is unknown mode char to me");
                    break;
            }
        }

        if (applied.Count == 0)
        {
            return;
        }

        var change = ModeString(applied);
        var delivery = new Delivery(DeliveryKind.Mode, string.Empty) { Nick = Member.Nick, From = Member.Identity, Room = room, RoomName = room.Name, Text = change };
        foreach (var member in room.Members.Snapshot())
        {
            member.Deliver(delivery);
        }
    }

    // "+to alice" from [(+,t), (+,o,alice)]: signs only where they change, arguments after.
    private static string ModeString(List<(bool Adding, char Mode, string? Argument)> applied)
    {
        var letters = new System.Text.StringBuilder();
        var arguments = new List<string>();
        bool? sign = null;
        foreach (var (adding, mode, argument) in applied)
        {
            if (sign != adding)
            {
                letters.Append(adding ? '+' : '-');
                sign = adding;
            }

            letters.Append(mode);
            if (argument is not null)
            {
                arguments.Add(argument);
            }
        }

        return string.Join(' ', [letters.ToString(), .. arguments]);
    }
}
