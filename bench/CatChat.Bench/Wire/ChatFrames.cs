namespace CatChat.Bench.Wire;

/// <summary>
/// Reads CatChat's output: CRLF-terminated lines. A chat line is <c>&lt;nick&gt; text</c>; everything else
/// (banner, <c>*** </c> notices, <c>! </c> errors, history) is skipped, except the welcome notice.
/// </summary>
internal static class ChatFrames
{
    private static ReadOnlySpan<byte> Welcome => "*** You are "u8;

    /// <summary>Reports every complete line in <paramref name="data"/>; returns how many bytes it used.</summary>
    public static int Parse(ReadOnlySpan<byte> data, IFrameSink sink)
    {
        var consumed = 0;
        while (true)
        {
            var rest = data[consumed..];
            var end = rest.IndexOf((byte)'\n');
            if (end < 0)
            {
                return consumed;
            }

            var line = rest[..end];
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            consumed += end + 1;
            if (line.Length > 0 && line[0] == '<')
            {
                var close = line.IndexOf("> "u8);
                if (close > 0 && BenchPayload.IsPayload(line[(close + 2)..]))
                {
                    sink.OnPayload(line[(close + 2)..]);
                }
            }
            else if (line.StartsWith(Welcome))
            {
                sink.OnReady();
            }
        }
    }
}
