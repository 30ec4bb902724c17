using System.Globalization;
using System.Text;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;
using CatChat.Sessions;

namespace CatChat.FrontDoors.Irc;

/// <summary>Channels, which are the chat's rooms: JOIN, PART, TOPIC, NAMES, LIST, MODE, KICK and INVITE.</summary>
internal sealed partial class IrcSession
{
    private void OnJoin(IrcMessage message)
    {
        if (message.Count == 0 || message[0]!.Length == 0)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "JOIN", "Not enough parameters");
            return;
        }

        if (message[0] == "0")
        {
            foreach (var joined in Member.Rooms.ToArray())
            {
                PartOne(joined.Name, string.Empty);
            }

            return;
        }

        // Keys pair with the rooms in order (a room without a key ignores one given).
        var keys = (message[1] ?? string.Empty).Split(',');
        var names = message[0]!.Split(',', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < names.Length; i++)
        {
            JoinOne(names[i], i < keys.Length && keys[i].Length > 0 ? keys[i] : null);
        }
    }

    private void JoinOne(string name, string? key)
    {
        if (RoomName.Validate(name) is not null)
        {
            SendNumeric(IrcNumerics.NoSuchChannel, name, "No such channel");
            return;
        }

        var error = Chat.JoinRoom(Member, name, announce: true, out var room, out var already, key);
        if (error is not null)
        {
            var numeric = error.Contains("rooms, the most one may be in", StringComparison.Ordinal) ? IrcNumerics.TooManyChannels
                : error.Contains("is full", StringComparison.Ordinal) ? IrcNumerics.ChannelIsFull
                : error.Contains("you are banned", StringComparison.Ordinal) ? IrcNumerics.BannedFromChannel
                : error.Contains("invite-only", StringComparison.Ordinal) ? IrcNumerics.InviteOnlyChannel
                : error.Contains("needs a key", StringComparison.Ordinal) ? IrcNumerics.BadChannelKey
                : IrcNumerics.NoSuchChannel;
            SendNumeric(numeric, name, error);
            return;
        }

        if (already || room is null)
        {
            return;
        }

        SendFromSelf("JOIN", trailingLast: false, room.Name);
        if (room.Topic.Length > 0)
        {
            SendTopic(room);
        }

        SendNumeric(IrcNumerics.EndOfNames, SendNames(room.Name), "End of /NAMES list");
        if (Member.AwayMessage is not null)
        {
            TellRoomImAway(room); // IrcSession.Presence.cs
        }
    }

    private void OnPart(IrcMessage message)
    {
        if (message.Count == 0 || message[0]!.Length == 0)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "PART", "Not enough parameters");
            return;
        }

        var reason = IrcFormatting.Strip(message[1] ?? string.Empty);
        foreach (var name in message[0]!.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            PartOne(name, reason);
        }
    }

    private void PartOne(string name, string reason)
    {
        if (FindMyRoom(name) is null)
        {
            if (RoomName.Validate(name) is not null || Chat.ListingOf(name) is null)
            {
                SendNumeric(IrcNumerics.NoSuchChannel, name, "No such channel");
            }
            else
            {
                SendNumeric(IrcNumerics.NotOnChannel, name, "You're not on that channel");
            }

            return;
        }

        if (Chat.PartRoom(Member, name, reason, announce: true, out var room) is null && room is not null)
        {
            if (reason.Length > 0)
            {
                SendFromSelf("PART", trailingLast: true, room.Name, reason);
            }
            else
            {
                SendFromSelf("PART", trailingLast: false, room.Name);
            }
        }
    }

    private async ValueTask OnTopicAsync(IrcMessage message)
    {
        if (message.Count == 0 || message[0]!.Length == 0)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "TOPIC", "Not enough parameters");
            return;
        }

        var name = message[0]!;
        var room = FindMyRoom(name);
        if (message.Count == 1)
        {
            if (room is null && (RoomName.Validate(name) is not null || Chat.ListingOf(name) is null))
            {
                SendNumeric(IrcNumerics.NoSuchChannel, name, "No such channel");
            }
            else if (room is null)
            {
                SendNumeric(IrcNumerics.NotOnChannel, name, "You're not on that channel");
            }
            else if (room.Topic.Length == 0)
            {
                SendNumeric(IrcNumerics.NoTopic, room.Name, "No topic is set");
            }
            else
            {
                SendTopic(room);
            }

            return;
        }

        if (room is null)
        {
            SendNumeric(
                RoomName.Validate(name) is not null || Chat.ListingOf(name) is null ? IrcNumerics.NoSuchChannel : IrcNumerics.NotOnChannel,
                name,
                "You're not on that channel");
            return;
        }

        var topic = IrcFormatting.Strip(message[1]!);
        if (topic.Length > Room.MaxTopicLength)
        {
            topic = topic[..Room.MaxTopicLength];
        }

        switch (await ChangeTopicAsync(room, topic).ConfigureAwait(false))
        {
            case TopicChange.NotOperator:
                SendNumeric(IrcNumerics.ChanOpPrivsNeeded, room.Name, "You're not channel operator");
                break;
            case TopicChange.StoreUnavailable:
                SendServerNotice("The topic cannot be stored right now; try again later.");
                break;
        }
    }

    private void SendTopic(Room room)
    {
        SendNumeric(IrcNumerics.Topic, room.Name, room.Topic);
        if (room.TopicSetBy.Length > 0)
        {
            SendNumericPlain(IrcNumerics.TopicWhoTime, room.Name, room.TopicSetBy, room.TopicSetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }
    }

    private void OnNames(IrcMessage message)
    {
        if (message.Count == 0 || message[0]!.Length == 0)
        {
            SendNumeric(IrcNumerics.EndOfNames, "*", "End of /NAMES list");
            return;
        }

        // Several rooms (up to TARGMAX's) are answered in turn and ended once, with the list as it was given.
        var names = message[0]!.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 1)
        {
            SendNumeric(IrcNumerics.EndOfNames, SendNames(names[0]), "End of /NAMES list");
            return;
        }

        foreach (var name in names.Take(MaxTargets))
        {
            SendNames(name);
        }

        SendNumeric(IrcNumerics.EndOfNames, message[0]!, "End of /NAMES list");
    }

    // 353 lines of as many names as fit in 512 bytes; the room's name as it is spelled, for the 366 that ends them.
    private string SendNames(string name)
    {
        var room = Chat.FindRoom(name);
        var names = new List<string>();
        if ((room is not null || Chat.ListingOf(name) is not null) && !Chat.IsHiddenFrom(name, Member))
        {
            var full = Has(IrcCapabilities.UserhostInNames);
            if (room is not null)
            {
                foreach (var member in room.Members.Snapshot())
                {
                    names.Add(Prefixes(room, member) + (full ? member.Identity.ToString() : member.Nick));
                }
            }

            if (Chat.Backplane.State == BackplaneState.Whole)
            {
                foreach (var remote in Chat.Cluster.MembersIn(name))
                {
                    names.Add(Prefixes(remote, name) + (full ? remote.Identity.ToString() : remote.Nick));
                }
            }

            var spelled = room?.Name ?? Chat.ListingOf(name)?.Name ?? name;
            var symbol = room?.Secret == true ? "@" : "=";
            var head = Encoding.UTF8.GetByteCount($":{ServerName} {IrcNumerics.NamReply} {Me} = {spelled} :");
            var line = new StringBuilder();
            foreach (var entry in names)
            {
                if (line.Length > 0 && head + Encoding.UTF8.GetByteCount(line.ToString()) + 1 + entry.Length > IrcLine.MaxBytes - 2)
                {
                    SendNumeric(IrcNumerics.NamReply, symbol, spelled, line.ToString());
                    line.Clear();
                }

                line.Append(line.Length > 0 ? " " : string.Empty).Append(entry);
            }

            if (line.Length > 0)
            {
                SendNumeric(IrcNumerics.NamReply, symbol, spelled, line.ToString());
            }

            name = spelled;
        }

        return name;
    }

    private void OnKick(IrcMessage message)
    {
        if (message.Count < 2)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "KICK", "Not enough parameters");
            return;
        }

        // "KICK #a alice,bob" kicks both from #a; "KICK #a,#b alice,bob" kicks alice from #a and bob from #b.
        var rooms = message[0]!.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var nicks = message[1]!.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (rooms.Length == 0 || nicks.Length == 0 || (rooms.Length > 1 && rooms.Length != nicks.Length))
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "KICK", "Not enough parameters");
            return;
        }

        // Stripped first: a reason of formatting codes alone is no reason, and the other nodes refuse a kick without one.
        var reason = message[2] is { Length: > 0 } given ? IrcFormatting.Strip(given) : string.Empty;
        if (reason.Length == 0)
        {
            reason = Member.Nick;
        }

        if (reason.Length > Room.MaxTopicLength)
        {
            reason = reason[..Room.MaxTopicLength]; // KICKLEN, as advertised.
        }

        // Targets past TARGMAX's are dropped, as Modern IRC allows.
        for (var i = 0; i < Math.Min(nicks.Length, MaxTargets); i++)
        {
            Kick(rooms.Length == 1 ? rooms[0] : rooms[i], nicks[i], reason);
        }
    }

    private void Kick(string name, string nick, string reason)
    {
        var room = FindMyRoom(name);
        if (room is null)
        {
            SendNumeric(
                RoomName.Validate(name) is not null || Chat.ListingOf(name) is null ? IrcNumerics.NoSuchChannel : IrcNumerics.NotOnChannel,
                name,
                RoomName.Validate(name) is not null || Chat.ListingOf(name) is null ? "No such channel" : "You're not on that channel");
            return;
        }

        if (!room.IsOperator(Member))
        {
            SendNumeric(IrcNumerics.ChanOpPrivsNeeded, room.Name, "You're not channel operator");
            return;
        }

        if (Chat.Find(nick) is { } local && local.Rooms.Contains(room))
        {
            Chat.RemoveFromRoom(local, room, reason, Member.Nick);
        }
        else if (Chat.Backplane.State == BackplaneState.Whole
            && Chat.Cluster.Find(nick) is { } remote && remote.Rooms.Contains(room.Name, RoomName.Comparer))
        {
            Chat.KickRemote(remote, reason, Member.Nick, room.Name);
        }
        else
        {
            SendNumeric(IrcNumerics.UserNotInChannel, nick, room.Name, "They aren't on that channel");
        }
    }

    private void OnInvite(IrcMessage message)
    {
        if (message.Count == 0)
        {
            // The rooms this user is invited to and has not joined yet.
            foreach (var invited in Chat.InvitationsOf(Member.Nick))
            {
                SendNumericPlain(IrcNumerics.InviteListEntry, invited);
            }

            SendNumeric(IrcNumerics.EndOfInviteListEntries, "End of /INVITE list");
            return;
        }

        if (message.Count < 2)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "INVITE", "Not enough parameters");
            return;
        }

        var nick = message[0]!;
        var name = message[1]!;
        var local = Chat.Find(nick);
        var remote = local is null && Chat.Backplane.State == BackplaneState.Whole ? Chat.Cluster.Find(nick) : null;
        if (local is null && remote is null)
        {
            SendNumeric(IrcNumerics.NoSuchNick, nick, "No such nick/channel");
            return;
        }

        var room = FindMyRoom(name);
        if (room is null)
        {
            SendNumeric(
                RoomName.Validate(name) is not null || Chat.ListingOf(name) is null ? IrcNumerics.NoSuchChannel : IrcNumerics.NotOnChannel,
                name,
                "You're not on that channel");
            return;
        }

        if ((local?.Rooms.Contains(room) ?? false) || (remote?.Rooms.Contains(room.Name, RoomName.Comparer) ?? false))
        {
            SendNumeric(IrcNumerics.UserOnChannel, local?.Nick ?? remote!.Nick, room.Name, "is already on channel");
            return;
        }

        if (room.InviteOnly && !room.IsOperator(Member))
        {
            SendNumeric(IrcNumerics.ChanOpPrivsNeeded, room.Name, "You're not channel operator");
            return;
        }

        // Kept where they will join; IRC clients see INVITE, others a notice in plain words.
        Chat.Invite(Member, room, local?.Nick ?? remote!.Nick);
        SendNumericPlain(IrcNumerics.Inviting, local?.Nick ?? remote!.Nick, room.Name);
    }

    // "@" for an operator, "+" for a voiced member; both with multi-prefix, else the highest.
    private string Prefixes(Room room, ChatMember member) => Prefixes(room.IsOperator(member), room.IsVoiced(member));

    private string Prefixes(RemoteMember member, string room) => Prefixes(member.IsOperatorIn(room), member.IsVoicedIn(room));

    private string Prefixes(bool op, bool voice) =>
        op && voice && Has(IrcCapabilities.MultiPrefix) ? "@+" : op ? "@" : voice ? "+" : string.Empty;
}
