using System.Globalization;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// IRCv3 <c>draft/chathistory</c>: a client fetches a room's earlier lines (<c>CHATHISTORY LATEST|BEFORE|AFTER|AROUND|
/// BETWEEN #room ref [ref] limit</c>, a ref being <c>msgid=</c>, <c>timestamp=</c> or, for LATEST, <c>*</c>) and which of
/// its rooms spoke between two times (<c>TARGETS</c>), from the stored history and the room's recent lines, in a
/// <c>chathistory</c> batch. Only rooms one is in: private messages are not kept in a form to replay.
/// </summary>
internal sealed partial class IrcSession
{
    /// <summary>The most lines one CHATHISTORY returns (ISUPPORT CHATHISTORY=).</summary>
    internal const int MaxHistoryLines = 100;

    // The time tags CatChat sends are cut to the millisecond, so a timestamp names all of its millisecond.
    private static readonly TimeSpan RestOfMillisecond = TimeSpan.FromMilliseconds(1) - TimeSpan.FromTicks(1);

    private async Task OnChatHistoryAsync(IrcMessage message)
    {
        var subcommand = message.Count > 0 ? message[0]!.ToUpperInvariant() : string.Empty;
        var wanted = subcommand switch
        {
            "LATEST" or "BEFORE" or "AFTER" or "AROUND" or "TARGETS" => 4,
            "BETWEEN" => 5,
            _ => 0,
        };
        if (wanted == 0)
        {
            FailHistory("INVALID_PARAMS", subcommand.Length == 0 ? "*" : Safe(subcommand), "Unknown CHATHISTORY subcommand");
            return;
        }

        if (message.Count < wanted)
        {
            FailHistory("NEED_MORE_PARAMS", subcommand, "Missing parameters");
            return;
        }

        if (!int.TryParse(message[wanted - 1], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1)
        {
            FailHistory("INVALID_PARAMS", subcommand, Safe(message[wanted - 1]!), "The limit is not a positive whole number");
            return;
        }

        limit = Math.Min(limit, MaxHistoryLines);
        try
        {
            if (subcommand == "TARGETS")
            {
                await SendHistoryTargetsAsync(message[1]!, message[2]!, limit).ConfigureAwait(false);
            }
            else
            {
                await SendHistoryAsync(subcommand, message, limit).ConfigureAwait(false);
            }
        }
        catch (StoreUnavailableException)
        {
            FailHistory("MESSAGE_ERROR", subcommand, Safe(message[1]!), "History is unavailable right now; try again later");
        }
    }

    private async Task SendHistoryAsync(string subcommand, IrcMessage message, int limit)
    {
        var target = message[1]!;
        if (FindMyRoom(target) is not { } room)
        {
            FailHistory("INVALID_TARGET", subcommand, Safe(target), "You can only fetch the history of a channel you are in");
            return;
        }

        var first = await PointOfAsync(room, message[2]!, allowNone: subcommand == "LATEST").ConfigureAwait(false);
        var second = subcommand == "BETWEEN" ? await PointOfAsync(room, message[3]!, allowNone: false).ConfigureAwait(false) : null;
        if (first is not { } from || (subcommand == "BETWEEN" && second is null))
        {
            FailHistory("INVALID_PARAMS", subcommand, Safe(subcommand == "BETWEEN" && first is not null ? message[3]! : message[2]!), "Not a message reference: use msgid=, timestamp= or, for LATEST, *");
            return;
        }

        IReadOnlyList<HistoryEntry> lines;
        if (from.Unknown || second is { Unknown: true })
        {
            lines = []; // A message id that names no line of this room: nothing before or after it is known.
        }
        else
        {
            lines = subcommand switch
            {
                "LATEST" => await ReadHistoryAsync(room, after: from.After, before: null, limit, newest: true).ConfigureAwait(false),
                "BEFORE" => await ReadHistoryAsync(room, after: null, before: from.Before, limit, newest: true).ConfigureAwait(false),
                "AFTER" => await ReadHistoryAsync(room, after: from.After, before: null, limit, newest: false).ConfigureAwait(false),
                "AROUND" => await ReadAroundAsync(room, from, limit).ConfigureAwait(false),
                _ => await ReadBetweenAsync(room, from, second!.Value, limit).ConfigureAwait(false),
            };
        }

        SendHistoryBatch("chathistory", room.Name, lines.SelectMany(line => HistoryLines(room, line)));
    }

    // Half before the reference, the rest from it on (the line it names included).
    private async Task<IReadOnlyList<HistoryEntry>> ReadAroundAsync(Room room, HistoryPoint at, int limit)
    {
        var before = await ReadHistoryAsync(room, after: null, before: at.Before, limit / 2, newest: true).ConfigureAwait(false);
        var from = await ReadHistoryAsync(room, after: at.From, before: null, limit - before.Count, newest: false).ConfigureAwait(false);
        return [.. before, .. from];
    }

    // From the first reference toward the second: the oldest after it when it is the earlier one, else the newest before it.
    private Task<IReadOnlyList<HistoryEntry>> ReadBetweenAsync(Room room, HistoryPoint first, HistoryPoint second, int limit) =>
        IsEarlier(first, second)
            ? ReadHistoryAsync(room, after: first.After, before: second.Before, limit, newest: false)
            : ReadHistoryAsync(room, after: second.After, before: first.Before, limit, newest: true);

    private static bool IsEarlier(HistoryPoint first, HistoryPoint second) =>
        first.Before!.Value.Time < second.Before!.Value.Time || (first.Before.Value.Time == second.Before.Value.Time && first.Before.Value.Id <= second.Before.Value.Id);

    private Task<IReadOnlyList<HistoryEntry>> ReadHistoryAsync(Room room, HistoryCursor? after, HistoryCursor? before, int limit, bool newest) =>
        limit <= 0 ? Task.FromResult<IReadOnlyList<HistoryEntry>>([]) : RoomHistoryReader.ReadAsync(room, Store, after, before, limit, newest, StopToken);

    // Which of one's rooms spoke between two times, each with the time of its latest line there, oldest first.
    private async Task SendHistoryTargetsAsync(string first, string second, int limit)
    {
        if (TimestampOf(first) is not { } one || TimestampOf(second) is not { } other)
        {
            FailHistory("INVALID_PARAMS", "TARGETS", Safe(TimestampOf(first) is null ? first : second), "TARGETS takes two timestamp= references");
            return;
        }

        var (from, to) = one <= other ? (one, other) : (other, one);
        var latest = new List<(string Room, DateTimeOffset At)>();
        foreach (var room in Member.Rooms)
        {
            if ((await ReadHistoryAsync(room, after: new HistoryCursor(from, 0), before: new HistoryCursor(to + TimeSpan.FromMilliseconds(1), 0), 1, newest: true).ConfigureAwait(false)) is [var last])
            {
                latest.Add((room.Name, last.Time));
            }
        }

        SendHistoryBatch("draft/chathistory-targets", target: null, latest.OrderBy(spoke => spoke.At).Take(limit)
            .Select(spoke => IrcLine.Build(null, ServerName, "CHATHISTORY", trailingLast: false, "TARGETS", spoke.Room, TimeValue(spoke.At))));
    }

    private void SendHistoryBatch(string type, string? target, IEnumerable<string> lines)
    {
        if (!Has(IrcCapabilities.Batch))
        {
            foreach (var line in lines)
            {
                Send(line);
            }

            return;
        }

        var reference = "H" + Interlocked.Increment(ref _batchIds).ToString(CultureInfo.InvariantCulture);
        Send(target is null
            ? IrcLine.Build(null, ServerName, "BATCH", trailingLast: false, "+" + reference, type)
            : IrcLine.Build(null, ServerName, "BATCH", trailingLast: false, "+" + reference, type, target));
        foreach (var line in lines)
        {
            Send(WithTag("batch=" + reference, line));
        }

        Send(IrcLine.Build(null, ServerName, "BATCH", trailingLast: false, "-" + reference));
    }

    // A stored line as IRC shows it: its time and id, from its nickname (the user and host are not kept), its text
    // without formatting (as stored), split where it is too long for one IRC line.
    private List<string> HistoryLines(Room room, HistoryEntry line)
    {
        var tags = "time=" + TimeValue(line.Time) + (line.MessageId is { } id && Has(IrcCapabilities.MessageTags) ? ";msgid=" + id : string.Empty);
        return IrcRenderer.Split(tags, (line.Nick ?? ServerName) + "!*@*", "PRIVMSG", room.Name, line.Text, action: line.Kind == HistoryKind.Action);
    }

    private async Task<HistoryPoint?> PointOfAsync(Room room, string reference, bool allowNone)
    {
        if (reference == "*")
        {
            return allowNone ? new HistoryPoint(null, null, null, Unknown: false) : null;
        }

        if (TimestampOf(reference) is { } at)
        {
            return new HistoryPoint(new HistoryCursor(at + RestOfMillisecond, long.MaxValue), new HistoryCursor(at, 0), new HistoryCursor(at, 0), Unknown: false);
        }

        if (!reference.StartsWith("msgid=", StringComparison.Ordinal) || reference.Length == "msgid=".Length)
        {
            return null;
        }

        // A recent line is placed by its exact time (the stored copy keeps it less exactly), a stored one by its place.
        var id = reference["msgid=".Length..];
        if (room.Recent.Find(id) is { } recent)
        {
            return new HistoryPoint(new HistoryCursor(recent.Time, long.MaxValue), new HistoryCursor(recent.Time, 0), new HistoryCursor(recent.Time, 0), Unknown: false);
        }

        return Store is not null && MessageIds.IsWellFormed(id) && await Store.FindLinePositionAsync(room.HistoryKey, id, StopToken).ConfigureAwait(false) is { } stored
            ? new HistoryPoint(stored, stored, stored with { Id = stored.Id - 1 }, Unknown: false)
            : new HistoryPoint(null, null, null, Unknown: true);
    }

    private static DateTimeOffset? TimestampOf(string reference) =>
        reference.StartsWith("timestamp=", StringComparison.Ordinal)
        && DateTimeOffset.TryParse(reference["timestamp=".Length..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;

    private static string TimeValue(DateTimeOffset at) => IrcRenderer.TimeTag(at)["time=".Length..];

    private void FailHistory(string code, params string[] contextAndDescription) =>
        Send(IrcLine.Build(null, ServerName, "FAIL", trailingLast: true, ["CHATHISTORY", code, .. contextAndDescription]));

    // A client's word echoed in a FAIL: one parameter of printable ASCII, else "*".
    private static string Safe(string word) =>
        word.Length is > 0 and <= 64 && word.All(c => c is > ' ' and < '\u007f') && word[0] != ':' ? word : "*";

    // Where a reference points, as the bound of the lines after it, of those before it, and of those from it on
    // (RoomHistoryReader's places); all null for LATEST's "*"; Unknown for a message id of no line here.
    private readonly record struct HistoryPoint(HistoryCursor? After, HistoryCursor? Before, HistoryCursor? From, bool Unknown);
}
