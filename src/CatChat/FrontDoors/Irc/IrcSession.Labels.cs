using System.Text;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// IRCv3 labeled-response: the replies to a command that came with a <c>label</c> tag are held while it runs, then
/// sent labeled: one line carries the label, several go in a <c>labeled-response</c> BATCH, none is an ACK. Only this
/// client's own replies are held (the async flow of its command, for this session), never what others are sent.
/// </summary>
internal sealed partial class IrcSession
{
    private static readonly AsyncLocal<LabelCapture?> CurrentLabel = new();
    private static long _batchIds;

    // Set while a labeled command of this session runs: every broadcast to this client asks, and this is cheaper to
    // ask than the async-local.
    private int _labeling;

    private sealed record LabelCapture(IrcSession Owner, string Label)
    {
        public List<string> Lines { get; } = [];
    }

    // The raw (still escaped) value of the command's label tag, when this client asked for labeled responses.
    private string? LabelOf(string? tags)
    {
        if (tags is null || !Has(IrcCapabilities.LabeledResponse))
        {
            return null;
        }

        return TagValue(tags, "label") is { Length: > 0 } label ? label : null; // IrcSession.Multiline.cs
    }

    private async ValueTask<bool> ExecuteLabeledAsync(IrcMessage message, long receivedAt, string label)
    {
        var capture = new LabelCapture(this, label);
        CurrentLabel.Value = capture;
        Volatile.Write(ref _labeling, 1);
        try
        {
            return await ExecuteAsync(message, receivedAt).ConfigureAwait(false);
        }
        finally
        {
            CurrentLabel.Value = null;
            Volatile.Write(ref _labeling, 0);
            SendLabeled(capture);
        }
    }

    // Holds a reply of this session's own command; false when there is none running (send it now).
    private bool HeldForLabel(string line)
    {
        if (Volatile.Read(ref _labeling) == 0 || CurrentLabel.Value is not { } capture || !ReferenceEquals(capture.Owner, this))
        {
            return false;
        }

        capture.Lines.Add(line);
        return true;
    }

    private bool HeldForLabel(Delivery delivery, byte[] rendered)
    {
        // A private message to oneself arrives as well as echoes: the arrival is not a reply, the echo is.
        if (Volatile.Read(ref _labeling) == 0 || delivery.Kind == DeliveryKind.Private || CurrentLabel.Value is not { } capture || !ReferenceEquals(capture.Owner, this))
        {
            return false;
        }

        capture.Lines.AddRange(Encoding.UTF8.GetString(rendered).Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        return true;
    }

    /// <summary>Until disposed, what this command sends is not a reply to it (goes out at once, unlabeled).</summary>
    private static LabelPause HoldNoReplies()
    {
        var pause = new LabelPause(CurrentLabel.Value);
        CurrentLabel.Value = null;
        return pause;
    }

    private sealed class LabelPause(LabelCapture? paused) : IDisposable
    {
        public void Dispose() => CurrentLabel.Value = paused;
    }

    private void SendLabeled(LabelCapture capture)
    {
        var label = "label=" + capture.Label;
        var lines = capture.Lines;
        if (lines.Count == 0)
        {
            SendAck(label);
        }
        else if (lines.Count == 1)
        {
            Member.Deliver(LineEncoder.Encode(WithTag(label, lines[0])));
        }
        else if (IsOneBatch(lines))
        {
            // A reply that is one batch already (CHATHISTORY's) carries the label on its start (IRCv3).
            Member.Deliver(LineEncoder.Encode(string.Join("\r\n", [WithTag(label, lines[0]), .. lines.Skip(1)])));
        }
        else if (!Has(IrcCapabilities.Batch))
        {
            Member.Deliver(LineEncoder.Encode(string.Join("\r\n", lines))); // No way to group them: sent as they are.
        }
        else
        {
            var id = "L" + Interlocked.Increment(ref _batchIds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var batch = new StringBuilder();
            batch.Append('@').Append(label).Append(" :").Append(ServerName).Append(" BATCH +").Append(id).Append(" labeled-response\r\n");
            foreach (var line in lines)
            {
                batch.Append(WithTag("batch=" + id, line)).Append("\r\n");
            }

            batch.Append(':').Append(ServerName).Append(" BATCH -").Append(id);
            Member.Deliver(LineEncoder.Encode(batch.ToString()));
        }
    }

    // Whether the lines are a batch's start, its lines and its end, nothing else.
    private static bool IsOneBatch(List<string> lines)
    {
        var start = lines[0].Split(' ', 4);
        if (start.Length < 3 || start[1] != "BATCH" || !start[2].StartsWith('+'))
        {
            return false;
        }

        var reference = start[2][1..];
        return lines[^1].EndsWith(" BATCH -" + reference, StringComparison.Ordinal)
            && lines.Skip(1).SkipLast(1).All(line => line.StartsWith("@batch=" + reference + " ", StringComparison.Ordinal) || line.StartsWith("@batch=" + reference + ";", StringComparison.Ordinal));
    }

    // A labeled command with nothing to answer: <paramref name="labelTag"/> is the whole tag, "label=...".
    private void SendAck(string labelTag) => Member.Deliver(LineEncoder.Encode("@" + labelTag + " :" + ServerName + " ACK"));

    private static string WithTag(string tag, string line) => line.StartsWith('@') ? "@" + tag + ";" + line[1..] : "@" + tag + " " + line;
}
