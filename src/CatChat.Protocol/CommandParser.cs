namespace CatChat.Protocol;

/// <summary>Parses a sanitised line into a <see cref="ChatCommand"/>. Pure: no state, no I/O.</summary>
public static class CommandParser
{
    /// <summary>The commands, with their usage, in the order <c>/help</c> lists them.</summary>
    public static IReadOnlyList<(string Usage, string Description)> Commands { get; } =
    [
        ("/nick NAME", "change your nickname"),
        ("/join #ROOM", "join a room (created if new) and make it your current one"),
        ("/part [#ROOM] [REASON]", "leave a room (your current one if none is named)"),
        ("/rooms", "list the rooms, their sizes and topics"),
        ("/topic [TEXT]", "show or set the topic of your current room"),
        ("/who [#ROOM]", "list who is online, or who is in a room"),
        ("/me ACTION", "say what you are doing, shown as * nick ACTION"),
        ("/msg NICK TEXT", "send TEXT to NICK only"),
        ("/quit [REASON]", "leave the chat"),
        ("/history [N]", "show the last N lines of your current room"),
        ("/undo", "take back your last line in your current room"),
        ("/help", "show this help"),
        ("//TEXT", "send a line that starts with /"),
    ];

    public static ChatCommand Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return new ChatCommand(CommandKind.Empty, string.Empty);
        }

        if (line[0] != '/')
        {
            return new ChatCommand(CommandKind.Say, line);
        }

        if (line.StartsWith("//", StringComparison.Ordinal))
        {
            return new ChatCommand(CommandKind.Say, line[1..]);
        }

        var span = line.AsSpan(1);
        var space = span.IndexOf(' ');
        var name = (space < 0 ? span : span[..space]).ToString().ToLowerInvariant();
        var argument = space < 0 ? string.Empty : span[(space + 1)..].Trim().ToString();

        return name switch
        {
            "nick" => Require(CommandKind.Nick, name, argument),
            "me" => Require(CommandKind.Me, name, argument),
            "msg" => ParseMsg(argument),
            "who" => new ChatCommand(CommandKind.Who, RoomName.LooksLikeOne(argument) ? argument.Split(' ')[0] : string.Empty),
            "join" => Require(CommandKind.Join, name, argument),
            "part" => ParsePart(argument),
            "rooms" => new ChatCommand(CommandKind.Rooms, string.Empty),
            "topic" => new ChatCommand(CommandKind.Topic, argument),
            "quit" => new ChatCommand(CommandKind.Quit, argument),
            "help" => new ChatCommand(CommandKind.Help, string.Empty),
            "history" => new ChatCommand(CommandKind.History, argument),
            "undo" => new ChatCommand(CommandKind.Undo, string.Empty),
            _ => new ChatCommand(CommandKind.Unknown, name),
        };
    }

    private static ChatCommand Require(CommandKind kind, string name, string argument) =>
        argument.Length == 0 ? new ChatCommand(CommandKind.MissingArgument, name) : new ChatCommand(kind, argument);

    // "/part", "/part #room", "/part #room reason" or "/part reason" (the current room).
    private static ChatCommand ParsePart(string argument)
    {
        if (!RoomName.LooksLikeOne(argument))
        {
            return new ChatCommand(CommandKind.Part, argument);
        }

        var space = argument.IndexOf(' ');
        return space < 0
            ? new ChatCommand(CommandKind.Part, string.Empty, argument)
            : new ChatCommand(CommandKind.Part, argument[(space + 1)..].Trim(), argument[..space]);
    }

    private static ChatCommand ParseMsg(string argument)
    {
        var space = argument.IndexOf(' ');
        if (space < 0)
        {
            return new ChatCommand(CommandKind.MissingArgument, "msg");
        }

        var text = argument[(space + 1)..].Trim();
        return text.Length == 0
            ? new ChatCommand(CommandKind.MissingArgument, "msg")
            : new ChatCommand(CommandKind.Msg, text, argument[..space]);
    }

    /// <summary>The usage line of a command by name, for "missing argument" errors.</summary>
    public static string UsageOf(string name)
    {
        foreach (var (usage, _) in Commands)
        {
            var word = usage.AsSpan(1);
            var space = word.IndexOf(' ');
            if (name.Length > 0 && (space < 0 ? word : word[..space]).SequenceEqual(name))
            {
                return usage;
            }
        }

        return "/" + name;
    }
}
