using System.Globalization;
using System.Text;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// IRCv3 draft/multiline: <c>BATCH +ref draft/multiline target</c>, PRIVMSGs (or NOTICEs) tagged <c>batch=ref</c>, then
/// <c>BATCH -ref</c> send one message of several lines. The lines wait here until the batch ends, so a message is said
/// whole or not at all; over the limits, or malformed, it is refused with <c>FAIL BATCH</c> and nothing is said.
/// </summary>
internal sealed partial class IrcSession
{
    /// <summary>The limits CAP LS 302 gives with draft/multiline.</summary>
    private static readonly string MultilineLimits = string.Create(CultureInfo.InvariantCulture, $"max-bytes={MultilineMessage.MaxBytes},max-lines={MultilineMessage.MaxLines}");

    private MultilineDraft? _multiline;

    // A batch refused part-way: its remaining lines and its end are dropped without a word each.
    private string? _refusedBatch;

    private sealed class MultilineDraft(string reference, string target, string? clientTags, string? label)
    {
        public string Reference { get; } = reference;

        public string Target { get; } = target;

        public string? ClientTags { get; } = clientTags;

        public string? Label { get; } = label;

        /// <summary>PRIVMSG or NOTICE, as the first line says; every line must say the same.</summary>
        public string? Command { get; set; }

        public List<MultilinePart> Parts { get; } = [];

        public int Bytes { get; set; }
    }

    /// <summary>True for the start of a multiline batch, whose label waits for the batch's end (the echo carries it).</summary>
    private static bool OpensMultiline(IrcMessage message) =>
        message.Command == "BATCH" && message[0] is ['+', ..] && message[1] == IrcRenderer.MultilineBatchType;

    private void OnBatch(IrcMessage message, long receivedAt)
    {
        var reference = message[0];
        if (reference is null || reference.Length < 2)
        {
            SendNumeric(IrcNumerics.NeedMoreParams, "BATCH", "Not enough parameters");
            return;
        }

        if (!Has(IrcCapabilities.Multiline))
        {
            FailBatch("MULTILINE_INVALID", "Ask for draft/multiline (CAP REQ) before sending a multiline batch");
            return;
        }

        if (reference[0] == '+')
        {
            if (message[1] != IrcRenderer.MultilineBatchType || message[2] is not { Length: > 0 } target)
            {
                FailBatch("MULTILINE_INVALID", "Only draft/multiline batches to a room or a nickname are taken");
                return;
            }

            if (_multiline is not null)
            {
                _multiline = null;
                FailBatch("MULTILINE_INVALID", "A multiline batch was opened before the last one ended");
                return;
            }

            _refusedBatch = null;
            _multiline = new MultilineDraft(reference[1..], target, ClientTagsOf(message.Tags), LabelOf(message.Tags));
            return;
        }

        if (reference[0] != '-')
        {
            FailBatch("MULTILINE_INVALID", "A batch reference starts with + or -");
            return;
        }

        var draft = _multiline;
        if (draft is null || draft.Reference != reference[1..])
        {
            if (_refusedBatch != reference[1..])
            {
                FailBatch("MULTILINE_INVALID", "No such multiline batch is open");
            }

            _refusedBatch = null;
            return;
        }

        _multiline = null;
        SayMultiline(draft, receivedAt);
    }

    /// <summary>A line tagged <c>batch=</c>: taken into the open multiline batch, or refused (true either way: it is handled).</summary>
    private bool TakeBatchedLine(IrcMessage message)
    {
        if (TagValue(message.Tags, "batch") is not { } reference)
        {
            return false;
        }

        if (_refusedBatch == reference)
        {
            return true;
        }

        var draft = _multiline;
        if (draft is null || draft.Reference != reference)
        {
            RefuseBatch("MULTILINE_INVALID", "The line names no open multiline batch");
            return true;
        }

        var command = message.Command;
        if (command is not ("PRIVMSG" or "NOTICE") || (draft.Command is not null && draft.Command != command))
        {
            RefuseBatch("MULTILINE_INVALID", "A multiline batch holds PRIVMSGs or NOTICEs, all the same");
            return true;
        }

        if (!RoomName.Comparer.Equals(message[0], draft.Target))
        {
            RefuseBatch("MULTILINE_INVALID_TARGET", "Every line of a multiline batch goes to its target", message[0] ?? "*", draft.Target);
            return true;
        }

        var text = message[1] ?? string.Empty;
        if (text.StartsWith(IrcFormatting.CtcpDelimiter))
        {
            // CTCP (ACTION too) is one line's business: a room's +C and the answers for netcat users see single lines.
            RefuseBatch("MULTILINE_INVALID", "CTCP has no place in a multiline message");
            return true;
        }

        var concat = TagValue(message.Tags, IrcRenderer.MultilineConcatTag) is not null;
        if (concat && text.Length == 0)
        {
            RefuseBatch("MULTILINE_INVALID", "A blank line cannot continue the line before it");
            return true;
        }

        draft.Command = command;
        draft.Bytes += Encoding.UTF8.GetByteCount(text) + (concat || draft.Parts.Count == 0 ? 0 : 1); // a line break between lines
        if (draft.Parts.Count + 1 > MultilineMessage.MaxLines)
        {
            RefuseBatch("MULTILINE_MAX_LINES", "Too many lines in one multiline message", MultilineMessage.MaxLines.ToString(CultureInfo.InvariantCulture));
            return true;
        }

        if (draft.Bytes > MultilineMessage.MaxBytes)
        {
            RefuseBatch("MULTILINE_MAX_BYTES", "Too many bytes in one multiline message", MultilineMessage.MaxBytes.ToString(CultureInfo.InvariantCulture));
            return true;
        }

        draft.Parts.Add(new MultilinePart(text, concat));
        return true;
    }

    private void SayMultiline(MultilineDraft draft, long receivedAt)
    {
        var message = new MultilineMessage(draft.Parts, draft.Command == "NOTICE", BotTagged(draft.ClientTags));
        if (message.IsBlank)
        {
            FailBatch("MULTILINE_INVALID", "A multiline message needs some text");
            return;
        }

        if (!RoomName.LooksLikeOne(draft.Target))
        {
            // To a nickname the lines go as private messages of their own (each echoed as one, if asked for).
            foreach (var part in draft.Parts.Where(part => !string.IsNullOrWhiteSpace(part.Text)))
            {
                SayPrivately(draft.Target, part.Text, message.IsNotice, message.ClientTags);
            }

            AcknowledgeUnechoed(draft);
            return;
        }

        var room = FindMyRoom(draft.Target);
        if (room is null || !room.MaySpeak(Member))
        {
            if (!message.IsNotice)
            {
                SendNumeric(room is null ? IrcNumerics.NoSuchChannel : IrcNumerics.CannotSendToChannel, draft.Target,
                    room is null ? "No such channel (or you are not in it)" : "Cannot send to channel (+m, or banned)");
            }

            return;
        }

        var first = Chat.SayLinesIn(room, Member, message, receivedAt)?[0];
        if (first is not null && Has(IrcCapabilities.EchoMessage))
        {
            // The echo is the whole message as the others got it, the batch's label on its start.
            Member.Deliver(IrcRenderer.MultilineBatch(first, (IrcCapabilities)Volatile.Read(ref _capabilities), draft.Label));
            return;
        }

        AcknowledgeUnechoed(draft);
    }

    // A labeled batch that no echo answers is acknowledged, as any labeled command with no reply.
    private void AcknowledgeUnechoed(MultilineDraft draft)
    {
        if (draft.Label is { } label && !Has(IrcCapabilities.EchoMessage))
        {
            SendAck("label=" + label);
        }
    }

    // Bot mode marks every message with the (server-set) bot tag, as clients that take message-tags see it.
    private string? BotTagged(string? clientTags) => !Member.IsBot ? clientTags : clientTags is null ? BotTag : BotTag + ";" + clientTags;

    // Drops the open batch and says why; its later lines and its end are then dropped quietly.
    private void RefuseBatch(string code, string description, params string[] context)
    {
        _refusedBatch = _multiline?.Reference;
        _multiline = null;
        FailBatch(code, description, context);
    }

    private void FailBatch(string code, string description, params string[] context) =>
        Send(IrcLine.Build(null, ServerName, "FAIL", trailingLast: true, ["BATCH", code, .. context, description]));

    /// <summary>The raw value of tag <paramref name="name"/> ("" for a tag without one), or null when the line has none.</summary>
    private static string? TagValue(string? tags, string name)
    {
        if (tags is null)
        {
            return null;
        }

        foreach (var tag in tags.Split(';'))
        {
            if (tag.StartsWith(name, StringComparison.Ordinal) && (tag.Length == name.Length || tag[name.Length] == '='))
            {
                return tag.Length == name.Length ? string.Empty : tag[(name.Length + 1)..];
            }
        }

        return null;
    }
}
