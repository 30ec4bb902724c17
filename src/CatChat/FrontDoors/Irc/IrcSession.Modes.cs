using System.Globalization;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// MODE: a user's own modes (+i only) and a room's: +o and +v (its operators, the first member being the first, and
/// voiced members), +t (only operators set the topic), +n (always on: a room takes no lines from outside), +i
/// (invitation only), +m (only operators and voiced members speak), +s (not listed), +k (a key), +l (a limit), +b
/// (bans), +e (exceptions to them) and +I (who may join +i uninvited). The modes hold for netcat users as for IRC users,
/// and on every node of a cluster; operators and voice are kept by the member's own node and shown on every node.
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
            SendNumericPlain(IrcNumerics.UserModeIs, UserModes());
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
                    if (Member.Invisible != adding)
                    {
                        Member.Invisible = adding;
                        changed += (adding ? "+" : "-") + "i";
                    }

                    break;
                case 'o' or 'w':
                    changed += ChangeOperatorMode(c, adding); // IrcSession.Operators.cs
                    break;
                case BotMode:
                    if (Member.IsBot != adding)
                    {
                        Member.IsBot = adding;
                        changed += (adding ? "+" : "-") + BotMode;
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
                SendNumericPlain(IrcNumerics.ChannelModeIs, [elsewhere.Name, .. (Chat.SharedModesOf(elsewhere.Name) ?? RoomModes.Default).Describe(showKey: false).Split(' ')]);
            }
            else
            {
                SendNumeric(IrcNumerics.NoSuchChannel, name, "No such channel");
            }

            return;
        }

        if (message.Count == 1)
        {
            SendNumericPlain(IrcNumerics.ChannelModeIs, [room.Name, .. room.ModeString(showKey: FindMyRoom(room.Name) is not null).Split(' ')]);
            SendNumericPlain(IrcNumerics.CreationTime, room.Name, room.CreatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            return;
        }

        var arguments = new Queue<string>(message.Parameters.Skip(2));
        var adding = true;
        var withParameter = 0;
        var applied = new List<(bool Adding, char Mode, string? Argument)>();
        foreach (var c in message[1]!)
        {
            if (c is '+' or '-')
            {
                adding = c == '+';
                continue;
            }

            if (c is 'b' or 'e' or 'I' && arguments.Count == 0)
            {
                SendList(room, c);
                continue;
            }

            if (c is not ('b' or 'e' or 'I' or 'k' or 'l' or 'o' or 'v' or 'i' or 'm' or 'n' or 's' or 't' or 'C'))
            {
                SendNumeric(IrcNumerics.UnknownMode, c.ToString(), "is unknown mode char to me");
                continue;
            }

            if (!room.IsOperator(Member))
            {
                SendNumeric(IrcNumerics.ChanOpPrivsNeeded, room.Name, "You're not channel operator");
                return;
            }

            // ISUPPORT MODES: the first changes with a parameter are applied and the rest ignored, as InspIRCd does;
            // their parameters are left unread, and changes without one (+imnstC) are not counted.
            if (IrcRenderer.TakesParameter(c, adding) && arguments.Count > 0)
            {
                if (withParameter == IrcRenderer.ModesPerLine)
                {
                    continue;
                }

                withParameter++;
            }

            if (ApplyMode(room, c, adding, arguments) is { } change)
            {
                applied.Add(change);
            }
        }

        if (applied.Count == 0)
        {
            return;
        }

        var delivery = new Delivery(DeliveryKind.Mode, string.Empty)
        {
            Nick = Member.Nick,
            From = Member.Identity,
            Room = room,
            RoomName = room.Name,
            Text = ModeString(applied),
        };
        foreach (var member in room.Members.Snapshot())
        {
            member.Deliver(delivery);
        }

        // Operators and voice travel with their member (ChatRoom.StatusChanged); the rest is the room's, on every node.
        var shared = applied.FindAll(change => change.Mode is not ('o' or 'v'));
        if (shared.Count > 0)
        {
            Chat.RoomModesChanged(room, Member.Nick, ModeString(shared));
        }
    }

    // One mode letter, by an operator; the change to tell the room, or null when nothing changed (or it was refused).
    private (bool, char, string?)? ApplyMode(Room room, char mode, bool adding, Queue<string> arguments)
    {
        switch (mode)
        {
            case 't':
                return Flag(room.TopicLocked, value => room.TopicLocked = value);
            case 'i':
                return Flag(room.InviteOnly, value => room.InviteOnly = value);
            case 'm':
                return Flag(room.Moderated, value => room.Moderated = value);
            case 's':
                return Flag(room.Secret, value => room.Secret = value);
            case 'C':
                return Flag(room.NoCtcp, value => room.NoCtcp = value);
            case 'n':
                return Flag(room.NoOutsideMessages, value => room.NoOutsideMessages = value);
            case 'b' or 'e' or 'I':
                var mask = NormalizedMask(arguments.Dequeue());
                return MasksOf(room, mode).Set(mask, adding, Member.Nick, Time.GetUtcNow()) ? (adding, mode, mask) : null;
            case 'k':
                if (!adding)
                {
                    arguments.TryDequeue(out _);
                    return room.Key is null ? null : Cleared(() => room.Key = null, 'k', "*");
                }

                // A control byte given in a key arrives as IrcMessageSanitizer.ControlReplacement: refused, not dropped.
                if (!arguments.TryDequeue(out var key) || key.Length is 0 or > 23 || key.Any(c => c is ' ' or ',' or IrcMessageSanitizer.ControlReplacement))
                {
                    SendNumeric(IrcNumerics.InvalidKey, room.Name, "Key is not well-formed");
                    return null;
                }

                room.Key = key;
                return (true, 'k', key);
            case 'l':
                if (!adding)
                {
                    return room.Limit == 0 ? null : Cleared(() => room.Limit = 0, 'l', null);
                }

                if (!arguments.TryDequeue(out var given) || !int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit <= 0)
                {
                    SendNumeric(IrcNumerics.InvalidModeParam, room.Name, "l", given ?? "*", "Invalid limit: a positive whole number");
                    return null;
                }

                room.Limit = limit;
                return (true, 'l', limit.ToString(CultureInfo.InvariantCulture));
            default: // 'o' and 'v'
                if (!arguments.TryDequeue(out var nick))
                {
                    return null;
                }

                if (Chat.Find(nick) is not { } member)
                {
                    // A member of another node: their node makes the change and tells every node, this one too.
                    if (Chat.Backplane.State == BackplaneState.Whole && Chat.Cluster.Find(nick) is { } remote)
                    {
                        if (remote.Rooms.Contains(room.Name, RoomName.Comparer))
                        {
                            Chat.SetRemoteStatus(remote, room.Name, mode, adding, Member.Nick);
                        }
                        else
                        {
                            SendNumeric(IrcNumerics.UserNotInChannel, remote.Nick, room.Name, "They aren't on that channel");
                        }

                        return null;
                    }

                    SendNumeric(IrcNumerics.NoSuchNick, nick, "No such nick/channel");
                    return null;
                }

                if (!member.Rooms.Contains(room))
                {
                    SendNumeric(IrcNumerics.UserNotInChannel, nick, room.Name, "They aren't on that channel");
                    return null;
                }

                var had = mode == 'o' ? room.IsOperator(member) : room.IsVoiced(member);
                if (had == adding)
                {
                    return null;
                }

                if (mode == 'o')
                {
                    room.SetOperator(member, adding);
                }
                else
                {
                    room.SetVoiced(member, adding);
                }

                Chat.StatusChanged(room, member, Member.Nick, (adding ? "+" : "-") + mode);
                return (adding, mode, member.Nick);
        }

        (bool, char, string?)? Flag(bool current, Action<bool> set)
        {
            if (current == adding)
            {
                return null;
            }

            set(adding);
            return (adding, mode, null);
        }

        static (bool, char, string?) Cleared(Action clear, char mode, string? argument)
        {
            clear();
            return (false, mode, argument);
        }
    }

    // A ban given as a bare nick or nick!user is completed to a full mask.
    // A bare nick is completed to nick!*@*, within a mute too (m:nick is m:nick!*@*).
    private static string NormalizedMask(string mask) =>
        mask.StartsWith(MaskList.MutePrefix, StringComparison.OrdinalIgnoreCase) ? MaskList.MutePrefix + NormalizedMask(mask[MaskList.MutePrefix.Length..])
        : mask.Contains('!', StringComparison.Ordinal) ? (mask.Contains('@', StringComparison.Ordinal) ? mask : mask + "@*")
        : mask.Contains('@', StringComparison.Ordinal) ? "*!" + mask : mask + "!*@*";

    private static MaskList MasksOf(Room room, char mode) =>
        mode switch { 'b' => room.Bans, 'e' => room.BanExceptions, _ => room.InviteExceptions };

    // "MODE #room +b" (or +e, +I) with no mask: the list, then its end.
    private void SendList(Room room, char mode)
    {
        var (item, end, what) = mode switch
        {
            'b' => (IrcNumerics.BanList, IrcNumerics.EndOfBanList, "End of channel ban list"),
            'e' => (IrcNumerics.ExceptList, IrcNumerics.EndOfExceptList, "End of channel exception list"),
            _ => (IrcNumerics.InviteList, IrcNumerics.EndOfInviteList, "End of channel invite list"),
        };
        // Who set each mask and when (Unix seconds), where this node knows.
        foreach (var entry in MasksOf(room, mode).Entries)
        {
            if (entry.SetBy.Length == 0)
            {
                SendNumericPlain(item, room.Name, entry.Mask);
            }
            else
            {
                SendNumericPlain(item, room.Name, entry.Mask, entry.SetBy, entry.SetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            }
        }

        SendNumeric(end, room.Name, what);
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
