using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// The server's JSON messages to a browser, each made once as a whole WebSocket text frame (<see cref="TextFrame"/>),
/// which the connection's <see cref="TextFrameWriter"/> sends as it is. docs/protocol.md lists them.
/// </summary>
internal static class WebJson
{
    // HTML-significant characters are escaped anyway (the page never parses text as markup; this is a second fence),
    // but letters of every script stay readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    // Room for any message of a line at the longest line limit, escaped at the writer's worst case.
    private const int KeptBufferBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    /// <summary>A browser's messages reach the session one per line (no raw newline can occur in compact JSON).</summary>
    public const byte Separator = (byte)'\n';

    public static byte[] Error(string code, string text) => Write(json =>
    {
        json.WriteString("type", "error");
        json.WriteString("code", code);
        json.WriteString("text", text);
    });

    public static byte[] Notice(string text) => Write(json =>
    {
        json.WriteString("type", "notice");
        json.WriteString("text", text);
    });

    /// <summary>The banner; <paramref name="needsPassword"/> tells the page to ask for the chat's password with the nickname.</summary>
    public static byte[] Banner(IReadOnlyList<string> lines, bool needsPassword) => Write(json =>
    {
        json.WriteString("type", "banner");
        WriteStrings(json, "lines", lines);
        json.WriteBoolean("needsPassword", needsPassword);
    });

    public static byte[] Welcome(string nick, string? room, int maxLineBytes) => Write(json =>
    {
        json.WriteString("type", "welcome");
        json.WriteString("nick", nick);
        WriteNullable(json, "room", room);
        json.WriteNumber("maxLineBytes", maxLineBytes);
    });

    /// <summary>A room the user is in: its topic, members and recent lines, oldest first; <paramref name="current"/> when their lines go there.</summary>
    public static byte[] RoomState(Room room, bool current, IReadOnlyList<string> members, IReadOnlyList<HistoryEntry> history) => Write(json =>
    {
        json.WriteString("type", "room");
        json.WriteString("room", room.Name);
        json.WriteBoolean("current", current);
        json.WriteString("topic", room.Topic);
        WriteStrings(json, "members", members);
        WriteHistory(json, "history", history);
    });

    /// <summary>Earlier lines of a room, oldest first, and where the page before them starts (null: there is none).</summary>
    public static byte[] History(string room, IReadOnlyList<HistoryEntry> lines, string? cursor) => Write(json =>
    {
        json.WriteString("type", "history");
        json.WriteString("room", room);
        WriteHistory(json, "lines", lines);
        WriteNullable(json, "cursor", cursor);
    });

    public static byte[] Parted(string room, string? current) => Write(json =>
    {
        json.WriteString("type", "parted");
        json.WriteString("room", room);
        WriteNullable(json, "current", current);
    });

    public static byte[] Rooms(IEnumerable<RoomListing> rooms) => Write(json =>
    {
        json.WriteString("type", "rooms");
        json.WriteStartArray("rooms");
        foreach (var room in rooms)
        {
            json.WriteStartObject();
            json.WriteString("room", room.Name);
            json.WriteNumber("members", room.Members);
            json.WriteString("topic", room.Topic);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    public static byte[] Members(string? room, IReadOnlyList<string> nicks) => Write(json =>
    {
        json.WriteString("type", "members");
        WriteNullable(json, "room", room);
        WriteStrings(json, "nicks", nicks);
    });

    /// <summary>
    /// What the chat tells every member (a line, an arrival, a kick), the same for every browser: the kind, who, where,
    /// the text, and (for all but spoken lines) the plain-text line as a netcat user reads it. Null for what a browser has no use for.
    /// </summary>
    public static byte[]? ForDelivery(Delivery d)
    {
        if (!IsForBrowsers(d.Kind))
        {
            return null;
        }

        return Write(json =>
        {
            json.WriteString("type", TypeOf(d.Kind));
            // Milliseconds since 1970 (what a script's Date takes): a third the length of the ISO form, in every frame.
            json.WriteNumber("at", (d.At == default ? DateTimeOffset.UtcNow : d.At).ToUnixTimeMilliseconds());
            WriteNullable(json, "nick", d.From?.Nick ?? d.Nick);
            WriteNullable(json, "room", d.RoomName ?? d.Room?.Name);

            // A line's text as the history keeps it: IRC users' colour codes are no use on a page. An IRC user's
            // private CTCP ACTION is an action, as /me is in a room.
            var privateAction = d.Kind is DeliveryKind.Private or DeliveryKind.PrivateSent && d.Text is not null ? IrcFormatting.ActionOf(d.Text) : null;
            var text = (IsSpoken(d.Kind) || d.Kind == DeliveryKind.Redacted) && d.Text is not null
                ? IrcFormatting.Strip(privateAction ?? d.Text)
                : d.Text;
            WriteNullable(json, "text", text);
            if (privateAction is not null)
            {
                json.WriteBoolean("action", true);
            }

            if (IsSpoken(d.Kind))
            {
                // A line's id, by which a page finds it again when it is taken back (a redaction's target).
                json.WriteString("id", d.MessageId);
            }

            WriteNullable(json, "target", d.Target);
            if (d.Rooms is { } rooms)
            {
                WriteStrings(json, "rooms", rooms);
            }

            if (d.Departed is { } departed)
            {
                WriteStrings(json, "nicks", [.. departed.Select(identity => identity.Nick)]);
            }

            if (d.BannerLines is { } lines)
            {
                WriteStrings(json, "lines", lines);
            }

            // A line's nick and text say it all; its plain-text form would only make every copy larger.
            if (!IsSpoken(d.Kind) && d.Kind != DeliveryKind.Redacted)
            {
                json.WriteString("line", d.Line);
            }
        });
    }

    /// <summary>A plain-text line the chat wrote without a delivery (an admission refusal): an error or a notice.</summary>
    public static byte[] FromPlainLine(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        return text.StartsWith(ChatLine.ErrorPrefix, StringComparison.Ordinal)
            ? Error("server", text[ChatLine.ErrorPrefix.Length..])
            : Notice(text.StartsWith(ChatLine.NoticePrefix, StringComparison.Ordinal) ? text[ChatLine.NoticePrefix.Length..] : text);
    }

    /// <summary>IRC's own business (TAGMSG, modes, away-notify, SETNAME) is not shown on the page.</summary>
    public static bool IsForBrowsers(DeliveryKind kind) =>
        kind is not (DeliveryKind.TagMessage or DeliveryKind.Mode or DeliveryKind.AwayChanged or DeliveryKind.RealNameChanged);

    private static bool IsSpoken(DeliveryKind kind) =>
        kind is DeliveryKind.Line or DeliveryKind.Action or DeliveryKind.Private or DeliveryKind.PrivateSent;

    private static string TypeOf(DeliveryKind kind) => kind switch
    {
        DeliveryKind.Line => "line",
        DeliveryKind.Action => "action",
        DeliveryKind.Notice => "notice",
        DeliveryKind.Arrived => "arrived",
        DeliveryKind.Departed => "departed",
        DeliveryKind.Renamed => "renamed",
        DeliveryKind.RoomJoined => "roomJoined",
        DeliveryKind.RoomParted => "roomParted",
        DeliveryKind.RoomRemoved => "roomRemoved",
        DeliveryKind.Topic => "topic",
        DeliveryKind.Announcement => "announcement",
        DeliveryKind.Private => "private",
        DeliveryKind.PrivateSent => "privateSent",
        DeliveryKind.Kicked => "kicked",
        DeliveryKind.BannerChanged => "banner",
        DeliveryKind.Invite => "invite",
        DeliveryKind.Redacted => "redacted",
        _ => "notice",
    };

    private static void WriteHistory(Utf8JsonWriter json, string name, IReadOnlyList<HistoryEntry> entries)
    {
        json.WriteStartArray(name);
        foreach (var entry in entries)
        {
            json.WriteStartObject();
            json.WriteNumber("at", entry.Time.ToUnixTimeMilliseconds());
            json.WriteString("kind", entry.Kind switch { HistoryKind.Message => "line", HistoryKind.Action => "action", _ => "notice" });
            WriteNullable(json, "nick", entry.Nick);
            json.WriteString("text", entry.Text);
            WriteNullable(json, "id", entry.MessageId);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        // One buffer and writer per thread, kept: a fresh pair grew by doubling to the writer's worst-case escaping
        // room for every message, most of the web door's garbage (and so of its collections' pauses).
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(KeptBufferBytes);
        buffer.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(buffer, WriterOptions);
        json.Reset(buffer);
        json.WriteStartObject();
        body(json);
        json.WriteEndObject();
        json.Flush();
        var frame = TextFrame.Of(buffer.WrittenSpan);
        if (buffer.Capacity > KeptBufferBytes)
        {
            t_buffer = null; // A rare huge message's room is not kept.
            t_json = null;
        }

        return frame;
    }
}
