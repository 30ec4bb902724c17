using System.Globalization;
using System.Text;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;
using Microsoft.Extensions.Logging;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// IRC operators: OPER (against <c>--irc-operators</c>), the user modes +o and +w, KILL and WALLOPS; and INFO. KILL
/// disconnects someone as the administrator's kick does, on this node or another; WALLOPS stays on this node.
/// </summary>
internal sealed partial class IrcSession
{
    /// <summary>The longest KILL reason passed on (IRC's KICKLEN).</summary>
    private const int MaxKillReasonLength = Room.MaxTopicLength;

    private bool _readsWallops;

    private void OnOper(IrcMessage message)
    {
        if (message.Count < 2 || message[0]!.Length == 0)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "OPER", "Not enough parameters");
            return;
        }

        if (_irc.Operators.Count == 0)
        {
            SendNumeric(IrcNumerics.NoOperHost, "No O-lines for your host");
            return;
        }

        var name = message[0]!;
        if (!_irc.Operators.Check(name, message[1]!))
        {
            // The name is not logged: a client that swapped its parameters would have put the password there.
            OperRefused(Logger, Member.ConnectionId, Member.RemoteAddress, Member.Nick);
            SendNumeric(IrcNumerics.PasswordMismatch, "Password incorrect");
            return;
        }

        SendNumeric(IrcNumerics.YoureOper, "You are now an IRC operator");
        if (!Member.IsIrcOperator)
        {
            Member.IsIrcOperator = true;
            _server.OperatorAdded();
            OperGranted(Logger, Member.ConnectionId, Member.RemoteAddress, Member.Nick, name);
            Send(IrcLine.Build(null, Source, "MODE", trailingLast: true, Member.Nick, "+o"));
        }
    }

    /// <summary>IRCv3 bot mode's letter (ISUPPORT BOT=B).</summary>
    private const char BotMode = 'B';

    /// <summary>This client's user modes as 221 gives them: <c>+</c>, then B, i, o and w as they are set.</summary>
    private string UserModes() =>
        "+" + (Member.IsBot ? "B" : string.Empty) + (Member.Invisible ? "i" : string.Empty) + (Member.IsIrcOperator ? "o" : string.Empty)
        + (_readsWallops ? "w" : string.Empty);

    /// <summary>
    /// MODE's +o and +w on oneself; returns the change made ("-o", "+w") or nothing. +o is only given by OPER, so
    /// asking for it changes nothing; -o gives it up.
    /// </summary>
    private string ChangeOperatorMode(char mode, bool adding)
    {
        if (mode == 'o')
        {
            if (adding || !Member.IsIrcOperator)
            {
                return string.Empty;
            }

            Member.IsIrcOperator = false;
            _server.OperatorRemoved();
            return "-o";
        }

        if (_readsWallops == adding)
        {
            return string.Empty;
        }

        _readsWallops = adding;
        _server.SetReadsWallops(Member, adding);
        return adding ? "+w" : "-w";
    }

    // The read side is over: an operator stops counting as one, and a +w reader stops reading.
    private void GiveUpUserModes()
    {
        if (Member.IsIrcOperator)
        {
            Member.IsIrcOperator = false;
            _server.OperatorRemoved();
        }

        if (_readsWallops)
        {
            _readsWallops = false;
            _server.SetReadsWallops(Member, false);
        }
    }

    private void OnKill(IrcMessage message)
    {
        if (!Member.IsIrcOperator)
        {
            SendNumeric(IrcNumerics.NoPrivileges, "Permission Denied- You're not an IRC operator");
            return;
        }

        if (message.Count == 0 || message[0]!.Length == 0)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "KILL", "Not enough parameters");
            return;
        }

        var nick = message[0]!;
        var given = message[1] is { Length: > 0 } text ? IrcFormatting.Strip(text) : string.Empty;
        var reason = given.Length == 0 ? "killed by an IRC operator" : given.Length > MaxKillReasonLength ? given[..MaxKillReasonLength] : given;
        if (Chat.Find(nick) is { } local)
        {
            Killed(Logger, Member.Nick, local.Nick, reason);
            Chat.Kick(local, reason, by: Member.Nick);
        }
        else if (Chat.Backplane.State == BackplaneState.Whole && Chat.Cluster.Find(nick) is { } remote && Chat.KickRemote(remote, reason, by: Member.Nick))
        {
            Killed(Logger, Member.Nick, remote.Nick, reason);
        }
        else
        {
            SendNumeric(IrcNumerics.NoSuchNick, nick, "No such nick/channel");
        }
    }

    // To this node's IRC operators and +w readers (the sender, an operator, among them).
    private void OnWallops(IrcMessage message)
    {
        if (!Member.IsIrcOperator)
        {
            SendNumeric(IrcNumerics.NoPrivileges, "Permission Denied- You're not an IRC operator");
            return;
        }

        if (message[0] is not { Length: > 0 } text)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "WALLOPS", "Not enough parameters");
            return;
        }

        var before = ":" + Source + " WALLOPS :";
        var line = LineEncoder.Encode(IrcLine.Build(Source, "WALLOPS", IrcLine.FitTrailing(text, Encoding.UTF8.GetByteCount(before))));
        foreach (var member in Chat.Members)
        {
            if (member.IsIrcOperator || _server.ReadsWallops(member))
            {
                member.Deliver(line);
            }
        }
    }

    // INFO [target]: about this server, to anyone who asks; a target must name it (or be one of its users).
    private void OnInfo(IrcMessage message)
    {
        if (message[0] is { Length: > 0 } target
            && !Glob(target)(ServerName)
            && Chat.Find(target) is null)
        {
            SendNumeric(IrcNumerics.NoSuchServer, target, "No such server");
            return;
        }

        SendNumeric(IrcNumerics.Info, $"{Version}: CatChat, one chat for netcat and IRC clients");
        SendNumeric(IrcNumerics.Info, $"This server, {ServerName}, has been up since {_serverStartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
        SendNumeric(IrcNumerics.Info, "IRC operators may KILL and WALLOPS; rooms and users are administered through the HTTP API");
        SendNumeric(IrcNumerics.EndOfInfo, "End of INFO list");
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "IRC connection {ConnectionId} from {RemoteAddress} ({Nick}) gave a wrong OPER name or password")]
    private static partial void OperRefused(ILogger logger, string connectionId, string remoteAddress, string nick);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "IRC connection {ConnectionId} from {RemoteAddress} ({Nick}) is now an IRC operator as {Operator}")]
    private static partial void OperGranted(ILogger logger, string connectionId, string remoteAddress, string nick, string @operator);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "IRC operator {Nick} killed {Victim}: {Reason}")]
    private static partial void Killed(ILogger logger, string nick, string victim, string reason);
}
