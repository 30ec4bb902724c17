using System.Globalization;
using CatChat.Chat;
using CatChat.Protocol.Irc;
using CatChat.Sessions;

namespace CatChat.FrontDoors.Irc;

/// <summary>Registration: CAP negotiation, PASS, NICK and USER, then the welcome (001-005, LUSERS, MOTD).</summary>
internal sealed partial class IrcSession
{
    private static readonly string Version = "CatChat-" + (typeof(IrcSession).Assembly.GetName().Version?.ToString(3) ?? "0");

    // Before registration only these are allowed (Modern IRC: 451 for the rest).
    private static bool AllowedBeforeRegistration(string command) =>
        command is "CAP" or "NICK" or "USER" or "PASS" or "PING" or "PONG" or "QUIT";

    private void OnCap(IrcMessage message)
    {
        var subcommand = message[0]?.ToUpperInvariant();
        switch (subcommand)
        {
            case "LS":
                if (!_registered)
                {
                    _negotiatingCapabilities = true;
                }

                // CAP LS 302 hears the values (multiline's limits); an older client the names alone.
                var values = int.TryParse(message[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 302;
                Send(IrcLine.Build(null, ServerName, "CAP", trailingLast: true, Me, "LS",
                    string.Join(' ', IrcCapabilityNames.All.Select(cap => values && cap.Flag == IrcCapabilities.Multiline ? cap.Name + "=" + MultilineLimits : cap.Name))));
                break;
            case "LIST":
                Send(IrcLine.Build(null, ServerName, "CAP", trailingLast: true, Me, "LIST", string.Join(' ', IrcCapabilityNames.All.Where(cap => Has(cap.Flag)).Select(cap => cap.Name))));
                break;
            case "REQ":
                if (!_registered)
                {
                    _negotiatingCapabilities = true;
                }

                var requested = message[1] ?? string.Empty;
                var add = IrcCapabilities.None;
                var remove = IrcCapabilities.None;
                var acceptable = true;
                foreach (var name in requested.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var off = name[0] == '-';
                    if (IrcCapabilityNames.Find(off ? name[1..] : name) is not { } flag)
                    {
                        acceptable = false;
                        break;
                    }

                    if (off)
                    {
                        remove |= flag;
                    }
                    else
                    {
                        add |= flag;
                    }
                }

                if (acceptable)
                {
                    Volatile.Write(ref _capabilities, (int)(((IrcCapabilities)_capabilities | add) & ~remove));
                }

                Send(IrcLine.Build(null, ServerName, "CAP", trailingLast: true, Me, acceptable ? "ACK" : "NAK", requested));
                break;
            case "END":
                _negotiatingCapabilities = false;
                TryRegister();
                break;
            default:
                SendNumeric(IrcNumerics.InvalidCapCommand, subcommand ?? "*", "Invalid CAP command");
                break;
        }
    }

    private async ValueTask OnNickAsync(IrcMessage message)
    {
        var nick = message[0];
        if (string.IsNullOrEmpty(nick))
        {
            SendNumeric(IrcNumerics.NoNicknameGiven, "No nickname given");
            return;
        }

        if (Chat.NicknamePolicy.Validate(nick) is { } invalid)
        {
            SendNumeric(IrcNumerics.ErroneousNickname, nick, "Erroneous nickname: " + invalid);
            return;
        }

        if (!_registered)
        {
            if (Chat.Find(nick) is not null || (Chat.Backplane.IsClustered && Chat.Cluster.Find(nick) is not null))
            {
                SendNumeric(IrcNumerics.NicknameInUse, nick, "Nickname is already in use");
                return;
            }

            _pendingNick = nick;
            TryRegister();
            return;
        }

        if (string.Equals(nick, Member.Nick, StringComparison.Ordinal))
        {
            return;
        }

        var error = await Chat.TryRenameAsync(Member, nick, StopToken).ConfigureAwait(false);
        if (error is not null)
        {
            var taken = error.Contains("is taken", StringComparison.Ordinal);
            SendNumeric(taken ? IrcNumerics.NicknameInUse : IrcNumerics.ErroneousNickname, nick, taken ? "Nickname is already in use" : error);
        }
    }

    private void OnUser(IrcMessage message)
    {
        if (_registered || _userName is not null)
        {
            SendNumeric(IrcNumerics.AlreadyRegistered, "You may not reregister");
            return;
        }

        if (message.Count < 4 || message[0]!.Length == 0 || message[3]!.Length == 0)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "USER", "Not enough parameters");
            return;
        }

        _userName = UserNameOf(message[0]!);
        _realName = message[3]!.Length > 0 ? message[3] : _userName;
        TryRegister();
    }

    // The user part of nick!user@host: what the client gave, kept to letters, digits and a few marks; "~" before it
    // says no ident server vouched for it.
    private static string UserNameOf(string given)
    {
        var kept = new string([.. given.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-').Take(USERLEN)]);
        return "~" + (kept.Length == 0 ? "user" : kept);
    }

    private const int USERLEN = 15;

    private void TryRegister()
    {
        if (_registered || _passwordRefused || _negotiatingCapabilities || _pendingNick is null || _userName is null)
        {
            return;
        }

        if (!ChatOptions.AdmitsPassword(_password))
        {
            // Modern IRC: 464, then ERROR as the link closes (after the pause, LineReceivedAsync); nothing else is done.
            SendNumeric(IrcNumerics.PasswordMismatch, _password is null ? "This server needs a password: PASS before NICK and USER" : "Password incorrect");
            _passwordRefused = true;
            return;
        }

        _password = null; // Not kept for the life of the connection.

        Member.User = _userName;
        Member.RealName = _realName ?? _userName;
        switch (TryJoin(_pendingNick, enterDefaultRoom: false))
        {
            case JoinOutcome.NickTaken:
                SendNumeric(IrcNumerics.NicknameInUse, _pendingNick, "Nickname is already in use");
                _pendingNick = null;
                return;
            case JoinOutcome.ShuttingDown:
                Close(CloseReasons.ServerShuttingDown);
                return;
        }

        _registered = true;
        EndUnregistered();
        Chat.AnnounceJoin(Member);
        SendWelcome();
    }

    // 001 to the end of the MOTD in one send: a client (irctest's among them) that reads once after 001 and takes the
    // next read for the reply to its next command would otherwise find the rest of the welcome there when a lane
    // happened to flush 001 on its own.
    private void SendWelcome()
    {
        using var welcomeAtOnce = HoldWrites();
        SendNumeric(IrcNumerics.Welcome, $"Welcome to the {_irc.NetworkName} IRC Network {Source}");
        SendNumeric(IrcNumerics.YourHost, $"Your host is {ServerName}, running version {Version}");
        SendNumeric(IrcNumerics.Created, $"This server was created {_serverStartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
        SendNumericPlain(IrcNumerics.MyInfo, ServerName, Version, "Biow", "Cbiklmnostv", "bklov");
        foreach (var tokens in ISupportTokens().Chunk(12))
        {
            SendNumeric(IrcNumerics.ISupport, [.. tokens, "are supported by this server"]);
        }

        SendLusers();
        SendMotd();
    }

    private IEnumerable<string> ISupportTokens() =>
    [
        "AWAYLEN=" + MaxAwayLength.ToString(CultureInfo.InvariantCulture),
        "BOT=" + BotMode,
        "CASEMAPPING=ascii",
        "CHANLIMIT=#:" + Chat.RoomLimits.RoomsPerUser.ToString(CultureInfo.InvariantCulture),
        "CHANMODES=beI,k,l,Cimnst",
        "CHANNELLEN=" + (Protocol.RoomName.MaxLength + 1).ToString(CultureInfo.InvariantCulture),
        "CHANTYPES=#",
        "CHATHISTORY=" + MaxHistoryLines.ToString(CultureInfo.InvariantCulture),
        "ELIST=CMNTU",
        "EXCEPTS=e",
        "EXTBAN=,m",
        "INVEX=I",
        "KICKLEN=" + Room.MaxTopicLength.ToString(CultureInfo.InvariantCulture),
        string.Create(CultureInfo.InvariantCulture, $"MAXLIST=b:{MaskList.MaxMasks},e:{MaskList.MaxMasks},I:{MaskList.MaxMasks}"),
        "MODES=" + IrcRenderer.ModesPerLine.ToString(CultureInfo.InvariantCulture),
        "MONITOR=" + IrcMonitors.MaxPerClient.ToString(CultureInfo.InvariantCulture),
        "MSGREFTYPES=msgid,timestamp",
        "NETWORK=" + _irc.NetworkName,
        "NICKLEN=" + Chat.NicknamePolicy.MaxLength.ToString(CultureInfo.InvariantCulture),
        "PREFIX=(ov)@+",
        "STATUSMSG=@",
        string.Create(CultureInfo.InvariantCulture, $"TARGMAX=JOIN:,PART:,PRIVMSG:{MaxTargets},NOTICE:{MaxTargets},TAGMSG:{MaxTargets},WHOIS:1,NAMES:{MaxTargets},KICK:{MaxTargets}"),
        "TOPICLEN=" + Room.MaxTopicLength.ToString(CultureInfo.InvariantCulture),
        "USERLEN=" + (USERLEN + 1).ToString(CultureInfo.InvariantCulture),
        "UTF8ONLY",
        "WHOX",
    ];

    private void SendLusers()
    {
        var users = Chat.ClusterCount;
        var local = Chat.Count;
        var servers = Chat.Backplane.State == BackplaneState.Whole ? Chat.Cluster.Nodes.Count + 1 : 1;
        var rooms = Chat.RoomDirectory.Count;
        SendNumeric(IrcNumerics.LuserClient, string.Create(CultureInfo.InvariantCulture, $"There are {users} users and 0 invisible on {servers} servers"));
        SendNumeric(IrcNumerics.LuserOp, _server.Operators.ToString(CultureInfo.InvariantCulture), "operator(s) online");
        SendNumeric(IrcNumerics.LuserUnknown, _server.Unregistered.ToString(CultureInfo.InvariantCulture), "unknown connection(s)");
        SendNumeric(IrcNumerics.LuserChannels, rooms.ToString(CultureInfo.InvariantCulture), "channels formed");
        SendNumeric(IrcNumerics.LuserMe, string.Create(CultureInfo.InvariantCulture, $"I have {local} clients and {servers - 1} servers"));
        var localPeak = Math.Max(local, Chat.PeakCount);
        var peak = _server.GlobalPeak(users, localPeak);
        SendNumeric(IrcNumerics.LocalUsers, local.ToString(CultureInfo.InvariantCulture), localPeak.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"Current local users {local}, max {localPeak}"));
        SendNumeric(IrcNumerics.GlobalUsers, users.ToString(CultureInfo.InvariantCulture), peak.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"Current global users {users}, max {peak}"));
    }

    // Registered or gone: no longer an unknown connection in LUSERS.
    private void EndUnregistered()
    {
        if (_countedUnregistered)
        {
            _countedUnregistered = false;
            _server.UnregisteredEnded();
        }
    }

    // The login banner is the message of the day.
    private void SendMotd()
    {
        var banner = Chat.Banner.Lines;
        if (banner.Count == 0)
        {
            SendNumeric(IrcNumerics.NoMotd, "MOTD File is missing");
            return;
        }

        SendNumeric(IrcNumerics.MotdStart, $"- {ServerName} Message of the day - ");
        foreach (var line in banner)
        {
            SendNumeric(IrcNumerics.Motd, "- " + line);
        }

        SendNumeric(IrcNumerics.EndOfMotd, "End of /MOTD command.");
    }
}
