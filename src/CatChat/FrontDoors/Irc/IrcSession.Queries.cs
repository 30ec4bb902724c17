using System.Globalization;
using System.Text;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>Who is who: WHO (with WHOX), WHOIS, WHOWAS, ISON, USERHOST, and AWAY.</summary>
internal sealed partial class IrcSession
{
    /// <summary>Someone as the queries show them, on this node or another.</summary>
    private sealed record Someone(Identity Identity, string RealName, string Server, string? Away, IReadOnlyList<string> Rooms, ChatMember? Local)
    {
        public RemoteMember? Remote { get; init; }
    }

    private static Someone RemoteSomeone(RemoteMember remote) => new(remote.Identity, remote.Nick, remote.NodeName, null, remote.Rooms, null) { Remote = remote };

    private Someone? FindSomeone(string nick)
    {
        if (Chat.Find(nick) is { } local)
        {
            return new Someone(local.Identity, local.RealName, ServerName, local.AwayMessage, [.. local.Rooms.Select(room => room.Name)], local);
        }

        if (Chat.Backplane.State == BackplaneState.Whole && Chat.Cluster.Find(nick) is { } remote)
        {
            return RemoteSomeone(remote);
        }

        return null;
    }

    private void OnWho(IrcMessage message)
    {
        var mask = message.Count > 0 && message[0]!.Length > 0 ? message[0]! : "*";
        var whox = message[1] is { Length: > 0 } fields && fields[0] == '%' ? fields[1..] : null;
        IEnumerable<(Someone Who, Room? Room)> found;
        if (RoomName.LooksLikeOne(mask))
        {
            var room = Chat.FindRoom(mask);
            var everyone = new List<(Someone, Room?)>();

            // A secret room answers an outsider as an empty one.
            var hidden = Chat.IsHiddenFrom(mask, Member);
            if (room is not null && !hidden)
            {
                everyone.AddRange(room.Members.Snapshot().Select(member => (FindSomeone(member.Nick) ?? LocalSomeone(member), (Room?)room)));
            }

            if (Chat.Backplane.State == BackplaneState.Whole && !hidden)
            {
                everyone.AddRange(Chat.Cluster.MembersIn(mask).Select(remote => (RemoteSomeone(remote), room)));
            }

            found = everyone;
        }
        else
        {
            var pattern = Glob(mask);
            var everyone = Chat.Members.Select(LocalSomeone);
            if (Chat.Backplane.State == BackplaneState.Whole)
            {
                everyone = everyone.Concat(Chat.Cluster.Members.Select(RemoteSomeone));
            }

            // An invisible user (+i) is found by a mask only by those who share a room with them, or by their exact nick.
            var exact = !mask.Contains('*', StringComparison.Ordinal) && !mask.Contains('?', StringComparison.Ordinal);
            found = everyone
                .Where(who => pattern(who.Identity.Nick) || pattern(who.Identity.ToString()) || pattern(who.Identity.Host) || pattern(who.RealName))
                .Where(who => exact || who.Local is not { Invisible: true } hidden || ReferenceEquals(hidden, Member) || hidden.Rooms.Any(Member.Rooms.Contains))
                .Select(who => (who, who.Local?.Rooms.FirstOrDefault(room => !Chat.IsHiddenFrom(room.Name, Member))));
        }

        foreach (var (who, room) in found)
        {
            var channel = room?.Name ?? who.Rooms.FirstOrDefault(name => !Chat.IsHiddenFrom(name, Member)) ?? "*";
            var flags = (who.Away is null ? "H" : "G")
                + (who.Local?.IsIrcOperator == true ? "*" : string.Empty)
                + (who.Local?.IsBot == true ? BotMode.ToString() : string.Empty)
                + (room is not null && who.Local is not null ? Prefixes(room, who.Local) : who.Remote is not null ? Prefixes(who.Remote, channel) : string.Empty);
            if (whox is null)
            {
                SendNumeric(IrcNumerics.WhoReply, channel, who.Identity.User, who.Identity.Host, who.Server, who.Identity.Nick, flags, "0 " + who.RealName);
            }
            else
            {
                SendWhox(whox, channel, who, flags);
            }
        }

        SendNumeric(IrcNumerics.EndOfWho, mask, "End of WHO list");
    }

    private Someone LocalSomeone(ChatMember member) =>
        new(member.Identity, member.RealName, ServerName, member.AwayMessage, [.. member.Rooms.Select(room => room.Name)], member);

    // WHOX: the fields the client asked for, in IRC's fixed order, with its token first if it gave one.
    private void SendWhox(string request, string channel, Someone who, string flags)
    {
        var comma = request.IndexOf(',');
        var fields = comma < 0 ? request : request[..comma];
        var token = comma < 0 ? null : request[(comma + 1)..];
        var values = new List<string>();
        foreach (var field in "tcuihsnfdlaor")
        {
            if (!fields.Contains(field))
            {
                continue;
            }

            switch (field)
            {
                case 't':
                    values.Add(token ?? "0");
                    break;
                case 'c':
                    values.Add(channel);
                    break;
                case 'u':
                    values.Add(who.Identity.User);
                    break;
                case 'i':
                    values.Add("255.255.255.255"); // Addresses are for administrators only.
                    break;
                case 'h':
                    values.Add(who.Identity.Host);
                    break;
                case 's':
                    values.Add(who.Server);
                    break;
                case 'n':
                    values.Add(who.Identity.Nick);
                    break;
                case 'f':
                    values.Add(flags);
                    break;
                case 'd':
                    values.Add("0");
                    break;
                case 'l':
                    values.Add(who.Local is null ? "0" : IdleSeconds(who.Local).ToString(CultureInfo.InvariantCulture));
                    break;
                case 'a':
                    values.Add("0");
                    break;
                case 'o':
                    values.Add("n/a");
                    break;
                case 'r':
                    values.Add(who.RealName);
                    break;
            }
        }

        SendNumeric(IrcNumerics.WhoSpecialReply, [.. values]);
    }

    private long IdleSeconds(ChatMember member) =>
        ReferenceEquals(member, Member) ? (long)(Time.GetUtcNow() - new DateTimeOffset(Volatile.Read(ref _lastActiveTicks), TimeSpan.Zero)).TotalSeconds : 0;

    private void OnWhois(IrcMessage message)
    {
        if (message.Count == 0 || message[^1] is not { Length: > 0 } nicks)
        {
            SendNumeric(IrcNumerics.NoNicknameGiven, "No nickname given");
            return;
        }

        // WHOIS server nick: the nickname is the last parameter.
        foreach (var nick in nicks.Split(',', StringSplitOptions.RemoveEmptyEntries).Take(1))
        {
            if (FindSomeone(nick) is not { } who)
            {
                SendNumeric(IrcNumerics.NoSuchNick, nick, "No such nick/channel");
                SendNumeric(IrcNumerics.EndOfWhois, nick, "End of /WHOIS list");
                continue;
            }

            var name = who.Identity.Nick;
            SendNumeric(IrcNumerics.WhoisUser, name, who.Identity.User, who.Identity.Host, "*", who.RealName);
            // Secret rooms are named only to those in them.
            var shown = who.Rooms.Where(room => !Chat.IsHiddenFrom(room, Member)).ToList();
            if (shown.Count > 0)
            {
                var rooms = shown.Select(room => who.Local is not null && Chat.FindRoom(room) is { } here ? Prefixes(here, who.Local) + room
                    : who.Remote is not null ? Prefixes(who.Remote, room) + room : room);
                SendNumeric(IrcNumerics.WhoisChannels, name, string.Join(' ', rooms));
            }

            SendNumeric(IrcNumerics.WhoisServer, name, who.Server, who.Local is null ? "CatChat node" : _irc.ServerDescription);
            if (who.Local?.IsIrcOperator == true)
            {
                SendNumeric(IrcNumerics.WhoisOperator, name, "is an IRC operator");
            }

            if (who.Local?.IsBot == true)
            {
                SendNumeric(IrcNumerics.WhoisBot, name, "is a bot on " + _irc.NetworkName);
            }

            if (who.Away is not null)
            {
                SendNumeric(IrcNumerics.Away, name, who.Away);
            }

            if (who.Local is not null)
            {
                SendNumeric(
                    IrcNumerics.WhoisIdle,
                    name,
                    IdleSeconds(who.Local).ToString(CultureInfo.InvariantCulture),
                    who.Local.ConnectedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                    "seconds idle, signon time");
            }

            SendNumeric(IrcNumerics.EndOfWhois, name, "End of /WHOIS list");
        }
    }

    // WHOWAS nick [count]: who held the nickname on this node or (as far as it heard) another, newest first; a count of 0 or less (or none) means all.
    private void OnWhowas(IrcMessage message)
    {
        if (message.Count == 0 || message[0]!.Length == 0)
        {
            SendNumeric(IrcNumerics.NoNicknameGiven, "No nickname given");
            return;
        }

        var nick = message[0]!.Split(',')[0];
        var count = int.TryParse(message[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var asked) ? asked : 0;
        var former = Chat.Former.Find(nick, count);
        if (former.Count == 0)
        {
            SendNumeric(IrcNumerics.WasNoSuchNick, nick, "There was no such nickname");
        }

        foreach (var was in former)
        {
            SendNumeric(IrcNumerics.WhoWasUser, was.Nick, was.User, was.Host, "*", was.RealName);
            SendNumeric(IrcNumerics.WhoisServer, was.Nick, was.Server ?? ServerName, was.Until.UtcDateTime.ToString("ddd MMM d HH:mm:ss yyyy 'UTC'", CultureInfo.InvariantCulture));
        }

        SendNumeric(IrcNumerics.EndOfWhoWas, nick, "End of WHOWAS");
    }

    private void OnIson(IrcMessage message)
    {
        if (message.Count == 0)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "ISON", "Not enough parameters");
            return;
        }

        var online = message.Parameters
            .SelectMany(parameter => parameter.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(nick => FindSomeone(nick)?.Identity.Nick)
            .OfType<string>();
        SendNumeric(IrcNumerics.IsOn, string.Join(' ', online));
    }

    private void OnUserhost(IrcMessage message)
    {
        if (message.Count == 0)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "USERHOST", "Not enough parameters");
            return;
        }

        var replies = new StringBuilder();
        foreach (var nick in message.Parameters.SelectMany(parameter => parameter.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Take(5))
        {
            if (FindSomeone(nick) is { } who)
            {
                replies.Append(replies.Length > 0 ? " " : string.Empty)
                    .Append(who.Identity.Nick).Append('=').Append(who.Away is null ? '+' : '-')
                    .Append(who.Identity.User).Append('@').Append(who.Identity.Host);
            }
        }

        SendNumeric(IrcNumerics.UserHost, replies.ToString());
    }

    private void OnAway(IrcMessage message)
    {
        if (message[0] is { Length: > 0 } away)
        {
            Member.AwayMessage = IrcFormatting.Strip(away.Length > MaxAwayLength ? away[..MaxAwayLength] : away);
            SendNumeric(IrcNumerics.NowAway, "You have been marked as being away");
        }
        else
        {
            Member.AwayMessage = null;
            SendNumeric(IrcNumerics.UnAway, "You are no longer marked as being away");
        }

        TellThoseWhoSeeMe(AwayDelivery()); // IrcSession.Presence.cs
    }

    // IRC masks: '*' any run, '?' one character, compared without regard to case.
    private static Func<string, bool> Glob(string mask)
    {
        var pattern = "^" + System.Text.RegularExpressions.Regex.Escape(mask).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        var regex = new System.Text.RegularExpressions.Regex(
            pattern,
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant,
            TimeSpan.FromMilliseconds(50));
        return value => regex.IsMatch(value);
    }
}
