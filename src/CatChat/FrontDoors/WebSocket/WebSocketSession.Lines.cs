using System.Globalization;
using System.Text;
using CatChat.Chat;
using CatChat.Protocol;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// Several lines in one <c>say</c> (a paste, or Shift+Enter on the page): one multiline message, as an IRC client's
/// draft/multiline batch is, with the same limits. Every door sees its lines in order; IRC clients that take multiline
/// messages get it whole.
/// </summary>
internal sealed partial class WebSocketSession
{
    private void SayLines(string text, long receivedAt)
    {
        var lines = LinesOf(text);
        if (lines.Length <= 1)
        {
            if (lines.Length == 1)
            {
                Say(lines[0], action: false, receivedAt); // one line between blank ones: a line like any other
            }

            return;
        }

        if (!WithinLimits(lines))
        {
            return;
        }

        var room = Member.CurrentRoom;
        var message = new MultilineMessage([.. lines.Select(line => new MultilinePart(line, Concat: false))], notice: false, clientTags: null);
        var said = room is null ? null : Chat.SayLinesIn(room, Member, message, receivedAt);
        if (said is null)
        {
            SendError("cannot-speak", room is null ? NoRoom : $"You cannot speak in {room.Name} now. Your message was not sent.");
            return;
        }

        // The sender sees each line as everyone else does, as with a single line.
        foreach (var delivery in said)
        {
            Member.Deliver(delivery);
        }
    }

    // Private messages of several lines go one by one (no door groups a conversation's lines), until one fails.
    private bool SendPrivateLines(string to, string text)
    {
        var lines = LinesOf(text);
        return WithinLimits(lines) && lines.Where(line => !string.IsNullOrWhiteSpace(line)).All(line => SendPrivate(to, line));
    }

    // The lines of a text, each sanitised; blank lines before and after are a paste's edges, not part of what was said.
    private static string[] LinesOf(string text) =>
        [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(line => TextSanitizer.Sanitize(line))
            .SkipWhile(string.IsNullOrWhiteSpace).Reverse().SkipWhile(string.IsNullOrWhiteSpace).Reverse()];

    // The limits of a multiline message, the same as on the IRC door; false (and the user told) when past them.
    private bool WithinLimits(string[] lines)
    {
        var bytes = lines.Sum(line => Encoding.UTF8.GetByteCount(line)) + lines.Length - 1;
        if (lines.Length <= MultilineMessage.MaxLines && bytes <= MultilineMessage.MaxBytes && lines.All(line => Encoding.UTF8.GetByteCount(line) <= ChatOptions.MaxLineBytes))
        {
            return true;
        }

        SendError("too-long", string.Create(CultureInfo.InvariantCulture,
            $"A message of several lines holds at most {MultilineMessage.MaxLines} lines and {MultilineMessage.MaxBytes} bytes. It was not sent."));
        return false;
    }
}
