namespace CatChat.Protocol.Irc;

/// <summary>
/// Makes a parsed client message safe to act on, parameter by parameter: free text (a message, a reason, a topic,
/// a real name) loses its control characters and keeps IRC's formatting codes, as <see cref="TextSanitizer"/> does;
/// every other parameter and the command are names, in which each control character becomes
/// <see cref="ControlReplacement"/>, so that a name typed with one is refused by whatever judges the name, never
/// shortened into another (possibly someone else's) name. Pure.
/// </summary>
public static class IrcMessageSanitizer
{
    /// <summary>What a control character in a name becomes: no nickname or channel name may hold it.</summary>
    public const char ControlReplacement = '\uFFFD';

    /// <summary>The message with its command, tags, source and parameters made safe.</summary>
    public static IrcMessage Sanitize(IrcMessage message)
    {
        if (!HasControl(message))
        {
            return message; // Nearly every line: nothing to copy.
        }

        var command = Name(message.Command);
        var text = TextParameterOf(command);
        var parameters = new string[message.Count];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = i == text ? Text(message.Parameters[i]) : Name(message.Parameters[i]);
        }

        // Tags are relayed as text to IRC clients; the source is never used.
        return new IrcMessage(
            message.Tags is null ? null : Text(message.Tags),
            message.Source is null ? null : Text(message.Source),
            command,
            parameters);
    }

    /// <summary>
    /// Which parameter of <paramref name="command"/> is free text, or -1 when none is. Anything not named here is a
    /// name, so a command added later is strict until it says otherwise.
    /// </summary>
    public static int TextParameterOf(string command) => command switch
    {
        "PRIVMSG" or "NOTICE" or "PART" or "TOPIC" or "KILL" => 1, // target(s) first
        "QUIT" or "AWAY" or "SETNAME" or "WALLOPS" or "PING" => 0, // PING's token is echoed to its sender alone
        "KICK" => 2, // channel, nick, reason
        "USER" => 3, // user name, mode, unused, real name
        _ => -1,
    };

    private static bool HasControl(IrcMessage message)
    {
        if (EscapeSequenceFilter.ContainsControl(message.Command) || EscapeSequenceFilter.ContainsControl(message.Tags)
            || EscapeSequenceFilter.ContainsControl(message.Source))
        {
            return true;
        }

        foreach (var parameter in message.Parameters)
        {
            if (EscapeSequenceFilter.ContainsControl(parameter))
            {
                return true;
            }
        }

        return false;
    }

    private static string Text(string text) => TextSanitizer.Sanitize(text, keepIrcFormatting: true);

    private static string Name(string name)
    {
        if (!EscapeSequenceFilter.ContainsControl(name))
        {
            return name;
        }

        return string.Create(name.Length, name, static (chars, name) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = EscapeSequenceFilter.IsControl(name[i]) ? ControlReplacement : name[i];
            }
        });
    }
}
