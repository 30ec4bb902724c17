namespace CatChat.FrontDoors.WebSocket;

/// <summary>Whether bytes already checked as UTF-8, piece by piece, stop inside a character.</summary>
internal static class Utf8Tail
{
    /// <summary>
    /// True when <paramref name="bytes"/> end with a lead byte that has fewer continuation bytes after it than it
    /// announces. Only the last three bytes are looked at: a longer cut is no UTF-8 at all and was refused already.
    /// </summary>
    public static bool EndsInsideCharacter(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue; // A continuation byte: its lead is further back.
            }

            var length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return length > back;
        }

        return false;
    }
}
