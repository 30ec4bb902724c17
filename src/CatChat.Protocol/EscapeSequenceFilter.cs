namespace CatChat.Protocol;

/// <summary>
/// Removes terminal control from decoded text, in place: ECMA-48 escape sequences (ESC-prefixed and
/// their 8-bit C1 forms), every other C0/C1 control character, DEL, and the Unicode bidirectional
/// embedding, override and isolate characters. A sequence cut short by the end of the line is dropped
/// to the end, so half a sequence can never combine with what another user sends next.
/// </summary>
public static class EscapeSequenceFilter
{
    private const char Escape = '\u001B';
    private const char Bell = '\u0007';
    private const char C1ControlSequenceIntroducer = '\u009B';
    private const char C1StringTerminator = '\u009C';

    private enum State
    {
        Text,
        AfterEscape,
        EscapeIntermediate,
        ControlSequence,
        ControlString,
        ControlStringAfterEscape,
    }

    /// <summary>
    /// Filters <paramref name="text"/> in place and returns how many characters remain; with
    /// <paramref name="keepIrcFormatting"/>, IRC's formatting codes stay (see <c>IrcFormatting</c>).
    /// </summary>
    public static int Filter(Span<char> text, bool keepIrcFormatting = false)
    {
        var state = State.Text;
        var kept = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (state)
            {
                case State.Text:
                    state = StartOf(c);
                    if (state == State.Text && (IsPrintable(c) || (keepIrcFormatting && Irc.IrcFormatting.IsCode(c))))
                    {
                        text[kept++] = c == '\t' ? ' ' : c;
                    }

                    break;

                case State.AfterEscape:
                    state = c switch
                    {
                        '[' => State.ControlSequence,
                        ']' or 'P' or 'X' or '^' or '_' => State.ControlString,
                        >= ' ' and <= '/' => State.EscapeIntermediate,
                        >= '0' and <= '~' => State.Text,
                        _ => Reprocess(ref i),
                    };
                    break;

                case State.EscapeIntermediate:
                    state = c switch
                    {
                        >= ' ' and <= '/' => State.EscapeIntermediate,
                        >= '0' and <= '~' => State.Text,
                        _ => Reprocess(ref i),
                    };
                    break;

                case State.ControlSequence:
                    state = c switch
                    {
                        >= ' ' and <= '?' => State.ControlSequence,
                        >= '@' and <= '~' => State.Text,
                        _ => Reprocess(ref i),
                    };
                    break;

                case State.ControlString:
                    state = c switch
                    {
                        Bell or C1StringTerminator => State.Text,
                        Escape => State.ControlStringAfterEscape,
                        _ => State.ControlString,
                    };
                    break;

                case State.ControlStringAfterEscape:
                    state = c == '\\' ? State.Text : Reprocess(ref i, State.AfterEscape);
                    break;
            }
        }

        return kept;
    }

    private static State StartOf(char c) => c switch
    {
        Escape => State.AfterEscape,
        C1ControlSequenceIntroducer => State.ControlSequence,
        // DCS, SOS, OSC, PM, APC: strings that run to a terminator.
        '\u0090' or '\u0098' or '\u009D' or '\u009E' or '\u009F' => State.ControlString,
        _ => State.Text,
    };

    // An unexpected character ends the sequence and is looked at again in the new state.
    private static State Reprocess(ref int index, State state = State.Text)
    {
        index--;
        return state;
    }

    /// <summary>
    /// True for a character that is terminal control rather than text: C0 (tab included), DEL, C1, and the
    /// bidirectional marks, embeddings, overrides and isolates. The filter keeps none of them as they are.
    /// </summary>
    public static bool IsControl(char c) => c switch
    {
        < ' ' => true,
        >= '\u007F' and <= '\u009F' => true,
        >= '\u202A' and <= '\u202E' => true,
        >= '\u2066' and <= '\u2069' => true,
        '\u061C' or '\u200E' or '\u200F' => true,
        _ => false,
    };

    /// <summary>True when <paramref name="text"/> holds a character that <see cref="IsControl"/> names.</summary>
    public static bool ContainsControl(ReadOnlySpan<char> text) => text.ContainsAny(Controls);

    private static readonly System.Buffers.SearchValues<char> Controls = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(IsControl)]);

    // A tab is control, but text keeps it as a space.
    private static bool IsPrintable(char c) => c == '\t' || !IsControl(c);
}
