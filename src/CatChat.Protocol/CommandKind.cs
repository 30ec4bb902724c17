namespace CatChat.Protocol;

/// <summary>What a received line asks the server to do.</summary>
public enum CommandKind
{
    /// <summary>Nothing: the line was empty or only whitespace.</summary>
    Empty,

    /// <summary>A chat line for everyone else (also <c>//text</c>, which says "/text").</summary>
    Say,

    /// <summary><c>/me ACTION</c>.</summary>
    Me,

    /// <summary><c>/nick NAME</c>.</summary>
    Nick,

    /// <summary><c>/who [#room]</c>.</summary>
    Who,

    /// <summary><c>/join #room</c>.</summary>
    Join,

    /// <summary><c>/part [#room] [reason]</c>: <see cref="ChatCommand.Target"/> is the room, when named.</summary>
    Part,

    /// <summary><c>/rooms</c>.</summary>
    Rooms,

    /// <summary><c>/topic [text]</c>.</summary>
    Topic,

    /// <summary><c>/msg NICK TEXT</c>.</summary>
    Msg,

    /// <summary><c>/quit [reason]</c>.</summary>
    Quit,

    /// <summary><c>/help</c>.</summary>
    Help,

    /// <summary><c>/history [N]</c>.</summary>
    History,

    /// <summary><c>/undo</c>: takes back one's last line in the current room.</summary>
    Undo,

    /// <summary>A command this server does not know.</summary>
    Unknown,

    /// <summary>A known command without the argument it needs.</summary>
    MissingArgument,
}
