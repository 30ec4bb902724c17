namespace CatChat.Bench.Wire;

/// <summary>
/// Reads an IRC server's output as a bench client sees it: lines of <c>[@tags] [:prefix] COMMAND params</c>. A
/// channel's <c>PRIVMSG</c> carries a benchmark message; <c>001</c> means registered (the client then joins), the end of
/// the channel's NAMES (<c>366</c>) means joined, i.e. ready; a <c>PING</c> must be answered; a nickname or join error
/// and <c>ERROR</c> are refusals. Everything else (MOTD, other members' JOINs, modes) is skipped.
/// </summary>
internal static class IrcFrames
{
    /// <summary>Reports every complete line in <paramref name="data"/>; returns how many bytes it used.</summary>
    public static int Parse(ReadOnlySpan<byte> data, IFrameSink sink)
    {
        var consumed = 0;
        while (TextLines.TryTake(data, ref consumed, out var line))
        {
            ParseLine(line, sink);
        }

        return consumed;
    }

    private static void ParseLine(ReadOnlySpan<byte> line, IFrameSink sink)
    {
        var message = line;
        if (message.Length > 0 && message[0] == '@')
        {
            message = AfterWord(message); // message tags, which no bench client asks for but a server may send
        }

        if (message.Length > 0 && message[0] == ':')
        {
            message = AfterWord(message);
        }

        // Nearly every line is a delivery: PRIVMSG first, and its target (the channel) holds no space.
        if (message.StartsWith("PRIVMSG "u8))
        {
            var text = Trailing(AfterWord(message));
            if (BenchPayload.IsPayload(text))
            {
                sink.OnPayload(text);
            }

            return;
        }

        var space = message.IndexOf((byte)' ');
        var command = space < 0 ? message : message[..space];
        var parameters = space < 0 ? [] : message[(space + 1)..];
        if (command.SequenceEqual("PING"u8))
        {
            sink.OnPing(parameters.Length > 0 && parameters[0] == ':' ? parameters[1..] : parameters);
        }
        else if (command.SequenceEqual("001"u8))
        {
            sink.OnWelcome();
        }
        else if (command.SequenceEqual("366"u8))
        {
            sink.OnReady();
        }
        else if (command.SequenceEqual("ERROR"u8) || IsRefusal(command))
        {
            sink.OnRefused(line);
        }
    }

    // The numerics that mean the nickname or the join was refused; other 4xx (a missing MOTD's 422) are harmless.
    private static bool IsRefusal(ReadOnlySpan<byte> command) =>
        command.Length == 3 && command[0] == '4'
        && (command[1..].SequenceEqual("03"u8) || command[1..].SequenceEqual("05"u8) || command[1..].SequenceEqual("65"u8)
            || (command[1] == '3' && command[2] is >= (byte)'1' and <= (byte)'7')
            || (command[1] == '7' && command[2] is >= (byte)'1' and <= (byte)'7'));

    private static ReadOnlySpan<byte> AfterWord(ReadOnlySpan<byte> text)
    {
        var space = text.IndexOf((byte)' ');
        return space < 0 ? [] : text[(space + 1)..];
    }

    // The last parameter: what follows " :", or the parameter after the target when it has no colon (one word).
    private static ReadOnlySpan<byte> Trailing(ReadOnlySpan<byte> parameters)
    {
        var space = parameters.IndexOf((byte)' ');
        if (space < 0)
        {
            return [];
        }

        var last = parameters[(space + 1)..];
        return last.Length > 0 && last[0] == ':' ? last[1..] : last;
    }
}
