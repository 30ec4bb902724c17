namespace CatChat.Bench.Wire;

/// <summary>Cuts a text protocol's bytes (netcat's, IRC's) into lines, LF or CRLF, without copying.</summary>
internal static class TextLines
{
    /// <summary>The next complete line after <paramref name="consumed"/> (which moves past it); false when none is whole yet.</summary>
    public static bool TryTake(ReadOnlySpan<byte> data, ref int consumed, out ReadOnlySpan<byte> line)
    {
        var rest = data[consumed..];
        var end = rest.IndexOf((byte)'\n');
        if (end < 0)
        {
            line = default;
            return false;
        }

        line = rest[..end];
        if (line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }

        consumed += end + 1;
        return true;
    }
}
