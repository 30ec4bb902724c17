namespace CatChat.Bench.Wire;

/// <summary>
/// Reads CatChat's output: CRLF-terminated lines. A chat line is <c>&lt;nick&gt; text</c>; everything else
/// (banner, <c>*** </c> notices, <c>! </c> errors, history) is skipped, except the one notice that means ready.
/// </summary>
internal static class ChatFrames
{
    private static ReadOnlySpan<byte> Welcome => "*** You are "u8;

    private static ReadOnlySpan<byte> Joined => "*** You joined #"u8;

    /// <summary>Reports every complete line in <paramref name="data"/>; returns how many bytes it used. Ready is the welcome.</summary>
    public static int Parse(ReadOnlySpan<byte> data, IFrameSink sink) => Parse(data, sink, inRooms: false);

    /// <summary>
    /// The same for a client that sent <c>/join #ROOM</c> on connecting: ready is the join's confirmation, an error
    /// line before it is a refusal, and a chat line prefixed with a room (<c>#room &lt;nick&gt; text</c>, a line of a
    /// room that is not the client's current one) is reported apart.
    /// </summary>
    public static int ParseInRooms(ReadOnlySpan<byte> data, IFrameSink sink) => Parse(data, sink, inRooms: true);

    private static int Parse(ReadOnlySpan<byte> data, IFrameSink sink, bool inRooms)
    {
        var consumed = 0;
        while (TextLines.TryTake(data, ref consumed, out var line))
        {
            if (line.Length > 0 && line[0] == '<')
            {
                var close = line.IndexOf("> "u8);
                if (close > 0 && BenchPayload.IsPayload(line[(close + 2)..]))
                {
                    sink.OnPayload(line[(close + 2)..]);
                }
            }
            else if (!inRooms)
            {
                if (line.StartsWith(Welcome))
                {
                    sink.OnReady();
                }
            }
            else if (line.Length > 0 && line[0] == '#')
            {
                // "#room <nick> text": no other live line starts with '#'.
                var space = line.IndexOf((byte)' ');
                var close = line.IndexOf("> "u8);
                if (space > 0 && close > space && BenchPayload.IsPayload(line[(close + 2)..]))
                {
                    sink.OnPayloadFromRoom(line[..space], line[(close + 2)..]);
                }
            }
            else if (line.StartsWith(Joined))
            {
                sink.OnReady();
            }
            else if (line.StartsWith("! "u8))
            {
                sink.OnRefused(line);
            }
        }

        return consumed;
    }
}
