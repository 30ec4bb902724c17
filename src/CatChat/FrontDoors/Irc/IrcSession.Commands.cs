using System.Globalization;
using CatChat.Protocol.Irc;
using CatChat.Sessions;

namespace CatChat.FrontDoors.Irc;

/// <summary>The command table: each command to its handler, and the numerics for what is not allowed yet or not known.</summary>
internal sealed partial class IrcSession
{
    // Returns false when the session must read no further.
    private async ValueTask<bool> ExecuteAsync(IrcMessage message, long receivedAt)
    {
        var command = message.Command;
        if (!_registered && !AllowedBeforeRegistration(command))
        {
            if (IsKnown(command))
            {
                SendNumeric(IrcNumerics.NotRegistered, "You have not registered");
            }
            else
            {
                SendNumeric(IrcNumerics.UnknownCommand, command, "Unknown command");
            }

            return true;
        }

        if (_registered && Has(IrcCapabilities.Multiline) && TakeBatchedLine(message))
        {
            return true; // A line of a multiline batch (IrcSession.Multiline.cs).
        }

        switch (command)
        {
            case "CAP":
                OnCap(message);
                break;
            case "PASS":
                if (_registered)
                {
                    SendNumeric(IrcNumerics.AlreadyRegistered, "You may not reregister");
                }
                else if (message.Count == 0)
                {
                    SendNumeric(IrcNumerics.NeedMoreParams, "PASS", "Not enough parameters");
                }
                else
                {
                    _password = message[0]; // Checked at registration (--chat-password); ignored in an open chat.
                }

                break;
            case "NICK":
                await OnNickAsync(message).ConfigureAwait(false);
                break;
            case "USER":
                OnUser(message);
                break;
            case "PING":
                if (message.Count == 0 || message[0]!.Length == 0)
                {
                    SendNumeric(IrcNumerics.NeedMoreParams, "PING", "Not enough parameters");
                }
                else
                {
                    Send(IrcLine.Build(null, ServerName, "PONG", trailingLast: true, ServerName, message[0]!));
                }

                break;
            case "PONG":
                Volatile.Write(ref _pingOutstanding, 0);
                break;
            case "QUIT":
                _quitMessage = message[0] is { } reason ? IrcFormatting.Strip(reason) : null; // Netcat terminals and history see it too.
                SetCloseReason(CloseReasons.Quit);
                return false;
            case "JOIN":
                OnJoin(message);
                break;
            case "PART":
                OnPart(message);
                break;
            case "PRIVMSG":
            case "NOTICE":
            case "TAGMSG":
                OnMessage(message, receivedAt);
                break;
            case "TOPIC":
                await OnTopicAsync(message).ConfigureAwait(false);
                break;
            case "NAMES":
                OnNames(message);
                break;
            case "LIST":
                OnList(message);
                break;
            case "MODE":
                OnMode(message);
                break;
            case "KICK":
                OnKick(message);
                break;
            case "INVITE":
                OnInvite(message);
                break;
            case "WHO":
                OnWho(message);
                break;
            case "WHOIS":
                OnWhois(message);
                break;
            case "WHOWAS":
                OnWhowas(message);
                break;
            case "ISON":
                OnIson(message);
                break;
            case "USERHOST":
                OnUserhost(message);
                break;
            case "AWAY":
                OnAway(message);
                break;
            case "LUSERS":
                SendLusers();
                break;
            case "MOTD":
                SendMotd();
                break;
            case "VERSION":
                SendNumericPlain(IrcNumerics.Version, Version, ServerName, "CatChat IRC front door");
                foreach (var tokens in ISupportTokens().Chunk(12))
                {
                    SendNumeric(IrcNumerics.ISupport, [.. tokens, "are supported by this server"]);
                }

                break;
            case "OPER":
                OnOper(message);
                break;
            case "KILL":
                OnKill(message);
                break;
            case "WALLOPS":
                OnWallops(message);
                break;
            case "INFO":
                OnInfo(message);
                break;
            case "LINKS":
                OnLinks(message);
                break;
            case "TIME":
                var now = Time.GetUtcNow();
                SendNumeric(
                    IrcNumerics.Time,
                    ServerName,
                    now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                    "0",
                    now.UtcDateTime.ToString("dddd MMMM d yyyy -- HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
                break;
            case "MONITOR":
                OnMonitor(message);
                break;
            case "HELP":
            case "HELPOP":
                OnHelp(message);
                break;
            case "SETNAME":
                OnSetName(message);
                break;
            case "REDACT":
                OnRedact(message);
                break;
            case "CHATHISTORY":
                await OnChatHistoryAsync(message).ConfigureAwait(false);
                break;
            case "BATCH":
                OnBatch(message, receivedAt);
                break;
            default:
                SendNumeric(IrcNumerics.UnknownCommand, command, "Unknown command");
                break;
        }

        return true;
    }

    private static bool IsKnown(string command) => command is
        "CAP" or "PASS" or "NICK" or "USER" or "PING" or "PONG" or "QUIT" or "JOIN" or "PART" or "PRIVMSG" or "NOTICE" or "TAGMSG" or "TOPIC"
        or "NAMES" or "LIST" or "MODE" or "KICK" or "INVITE" or "WHO" or "WHOIS" or "WHOWAS" or "ISON" or "USERHOST" or "AWAY"
        or "LUSERS" or "MOTD" or "VERSION" or "TIME" or "LINKS"
        or "OPER" or "KILL" or "WALLOPS" or "INFO" or "MONITOR" or "HELP" or "HELPOP" or "SETNAME" or "BATCH";
}
