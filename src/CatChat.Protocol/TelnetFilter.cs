namespace CatChat.Protocol;

/// <summary>
/// Removes telnet IAC negotiation (RFC 854) from a line's bytes. A telnet client may send these on
/// connect and on every keystroke in some modes; 0xFF never occurs in valid UTF-8, so dropping whole
/// IAC sequences cannot damage real text.
/// </summary>
public static class TelnetFilter
{
    private const byte Iac = 0xFF;
    private const byte SubnegotiationBegin = 0xFA;
    private const byte SubnegotiationEnd = 0xF0;
    private const byte Will = 0xFB;
    private const byte Dont = 0xFE;

    /// <summary>Removes IAC sequences in place and returns the new length.</summary>
    public static int RemoveNegotiation(Span<byte> bytes)
    {
        var source = bytes.IndexOf(Iac);
        if (source < 0)
        {
            return bytes.Length;
        }

        var destination = source;
        while (source < bytes.Length)
        {
            var b = bytes[source];
            if (b != Iac)
            {
                bytes[destination++] = b;
                source++;
                continue;
            }

            source = SkipSequence(bytes, source);
        }

        return destination;
    }

    // Returns the index just past the IAC sequence that starts at iacIndex; truncated sequences run to the end.
    private static int SkipSequence(ReadOnlySpan<byte> bytes, int iacIndex)
    {
        var commandIndex = iacIndex + 1;
        if (commandIndex >= bytes.Length)
        {
            return bytes.Length;
        }

        var command = bytes[commandIndex];
        if (command is >= Will and <= Dont)
        {
            return Math.Min(commandIndex + 2, bytes.Length);
        }

        if (command == SubnegotiationBegin)
        {
            for (var i = commandIndex + 1; i + 1 < bytes.Length; i++)
            {
                if (bytes[i] != Iac)
                {
                    continue;
                }

                if (bytes[i + 1] == SubnegotiationEnd)
                {
                    return i + 2;
                }

                // IAC IAC is an escaped 255 data byte: step over the pair so its second byte is not read as IAC.
                if (bytes[i + 1] == Iac)
                {
                    i++;
                }
            }

            return bytes.Length;
        }

        // IAC IAC (an escaped 0xFF data byte, never valid UTF-8 text) and the two-byte commands (0xF0-0xF9).
        if (command >= SubnegotiationEnd)
        {
            return commandIndex + 1;
        }

        // A stray 0xFF before ordinary data is not a command: drop the 0xFF alone and keep what follows.
        return iacIndex + 1;
    }
}
