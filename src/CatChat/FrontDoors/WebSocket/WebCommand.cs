using System.Buffers;
using System.Text.Json;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>What a browser asks for, one JSON text message each (docs/protocol.md lists them).</summary>
internal enum WebCommandKind
{
    Hello,
    Say,
    Me,
    Join,
    Part,
    Msg,
    Nick,
    Rooms,
    Who,
    Topic,
    History,
    Redact,
    Quit,
}

/// <summary>
/// One browser message, parsed: its type and the fields that type uses (unused ones are null). Parsing is pure: bytes
/// in, a command or the reason it is not one out.
/// </summary>
internal sealed record WebCommand(WebCommandKind Kind, string? Text = null, string? Nick = null, string? Room = null, string? To = null, string? Cursor = null, long? Before = null, string? Password = null, string? Id = null)
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4 };

    /// <summary>Parses one message; on failure returns null and says why in <paramref name="error"/>, in words for the user.</summary>
    public static WebCommand? Parse(in ReadOnlySequence<byte> message, out string? error)
    {
        string? type = null, text = null, nick = null, room = null, to = null, reason = null, cursor = null, password = null, id = null;
        long? before = null;
        string? mistyped = null;
        try
        {
            var reader = new Utf8JsonReader(message, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "A message must be a JSON object such as {\"type\":\"say\",\"text\":\"hello\"}.";
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                var known = name is "type" or "text" or "nick" or "room" or "to" or "reason" or "cursor" or "before" or "password" or "id";

                // A field of ours given as the wrong kind of value is refused rather than read as missing, which
                // would do something else than asked (a page of the newest lines for a "before" of 1e3, say);
                // null counts as missing, and fields of no message are ignored, so a newer page can add some.
                if (known && reader.TokenType != JsonTokenType.Null
                    && (name == "before" ? reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out _) : reader.TokenType != JsonTokenType.String))
                {
                    mistyped ??= name;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                if (name == "before")
                {
                    before = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var milliseconds) ? milliseconds : null;
                    continue;
                }

                var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                switch (name)
                {
                    case "type": type = value; break;
                    case "text": text = value; break;
                    case "nick": nick = value; break;
                    case "room": room = value; break;
                    case "to": to = value; break;
                    case "reason": reason = value; break;
                    case "cursor": cursor = value; break;
                    case "password": password = value; break;
                    case "id": id = value; break;
                }
            }

            // Reads to the end, so trailing garbage after the object is refused too.
            while (reader.Read())
            {
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            error = "That was not valid JSON: " + ex.Message.Split(" Path:", 2)[0];
            return null;
        }

        if (mistyped is not null)
        {
            error = mistyped == "before"
                ? "\"before\" must be a whole number: a time in milliseconds since 1970."
                : $"\"{mistyped}\" must be a string.";
            return null;
        }

        // The field a type cannot do without, when it is missing or blank.
        var missing = type switch
        {
            "hello" or "nick" when string.IsNullOrWhiteSpace(nick) => "nick",
            "say" or "me" when string.IsNullOrWhiteSpace(text) => "text",
            "join" when string.IsNullOrWhiteSpace(room) => "room",
            "msg" when string.IsNullOrWhiteSpace(to) => "to",
            "msg" when string.IsNullOrWhiteSpace(text) => "text",
            "redact" when string.IsNullOrWhiteSpace(id) => "id",
            _ => null,
        };
        if (missing is not null)
        {
            error = $"A \"{type}\" message needs a non-empty \"{missing}\" string.";
            return null;
        }

        if (type == "topic" && text is null)
        {
            error = "A \"topic\" message needs a \"text\" string (an empty one clears the topic).";
            return null;
        }

        WebCommand? command = type switch
        {
            "hello" => new WebCommand(WebCommandKind.Hello, Nick: nick, Password: password),
            "say" => new WebCommand(WebCommandKind.Say, Text: text),
            "me" => new WebCommand(WebCommandKind.Me, Text: text),
            "join" => new WebCommand(WebCommandKind.Join, Room: room),
            "part" => new WebCommand(WebCommandKind.Part, Text: reason ?? text, Room: room),
            "msg" => new WebCommand(WebCommandKind.Msg, Text: text, To: to),
            "nick" => new WebCommand(WebCommandKind.Nick, Nick: nick),
            "rooms" => new WebCommand(WebCommandKind.Rooms),
            "who" => new WebCommand(WebCommandKind.Who, Room: room),
            "topic" => new WebCommand(WebCommandKind.Topic, Text: text, Room: room),
            "history" => new WebCommand(WebCommandKind.History, Room: room, Cursor: cursor, Before: before),
            "redact" => new WebCommand(WebCommandKind.Redact, Text: reason, Room: room, Id: id),
            "quit" => new WebCommand(WebCommandKind.Quit, Text: reason ?? text),
            _ => null,
        };

        error = command is not null ? null
            : type is null ? "A message needs a \"type\": hello, say, me, join, part, msg, nick, rooms, who, topic, history or quit."
            : $"Unknown message type \"{type}\": hello, say, me, join, part, msg, nick, rooms, who, topic, history or quit.";
        return command;
    }
}
