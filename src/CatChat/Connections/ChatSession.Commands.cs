using System.Globalization;
using CatChat.Chat;
using CatChat.Protocol;

namespace CatChat.Connections;

/// <summary>What each command does.</summary>
internal sealed partial class ChatSession
{
    private const int MaxNamesInWho = 100;

    private const int DefaultHistoryLines = 20;
    private const int MaxHistoryLines = 100;

    // Returns false when the session must read no further.
    private async ValueTask<bool> ExecuteAsync(ChatCommand command, long receivedAt)
    {
        switch (command.Kind)
        {
            case CommandKind.Say:
                _services.Room.Say(_member, command.Text, receivedAt);
                return true;
            case CommandKind.Me:
                _services.Room.Act(_member, command.Text, receivedAt);
                return true;
            case CommandKind.Nick:
                await ChangeNickAsync(command.Text).ConfigureAwait(false);
                return true;
            case CommandKind.Who:
                ListUsers();
                return true;
            case CommandKind.Msg:
                SendPrivate(command.Target!, command.Text);
                return true;
            case CommandKind.Quit:
                _quitMessage = command.Text;
                _member.Send(ChatLine.Notice("Goodbye!"));
                SetCloseReason(CloseReason.Quit);
                return false;
            case CommandKind.Help:
                SendHelp();
                return true;
            case CommandKind.History:
                await SendHistoryAsync(command.Text).ConfigureAwait(false);
                return true;
            case CommandKind.MissingArgument:
                _member.Send(ChatLine.Error("Usage: " + CommandParser.UsageOf(command.Text)));
                return true;
            default:
                _member.Send(ChatLine.Error($"Unknown command /{command.Text}. Type /help for the commands."));
                return true;
        }
    }

    private async Task ChangeNickAsync(string newNick)
    {
        var oldNick = _member.Nick;
        if (string.Equals(oldNick, newNick, StringComparison.Ordinal))
        {
            _member.Send(ChatLine.Notice($"You are already {oldNick}."));
            return;
        }

        var refusal = await _services.Room.TryRenameAsync(_member, newNick, StopToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            _member.Send(ChatLine.Error($"Cannot change nickname to {newNick}: {refusal}."));
            return;
        }

        ConnectionLog.Renamed(_services.Logger, oldNick, newNick);
    }

    private void ListUsers()
    {
        foreach (var line in _services.Room.Who(MaxNamesInWho))
        {
            _member.Send(line);
        }
    }

    private void SendPrivate(string targetNick, string text)
    {
        var (recipient, error) = _services.Room.SendPrivate(_member, targetNick, text);
        if (error is not null)
        {
            _member.Send(ChatLine.Error(error));
            return;
        }

        if (_services.Options.HistoryPrivate)
        {
            _services.Room.RecordPrivate(_member, recipient!, text);
        }
    }

    private void ReplayRecentHistory()
    {
        if (_services.Options.HistoryReplay <= 0)
        {
            return;
        }

        var lines = _services.Room.Recent.Last(_services.Options.HistoryReplay);
        if (lines.Count > 0)
        {
            SendHistoryLines(lines, LastLines(lines.Count));
        }
    }

    private static string LastLines(int count) =>
        count == 1 ? "Last line of the chat:" : string.Create(CultureInfo.InvariantCulture, $"Last {count} lines of the chat:");

    // Reads the database for this user alone: nobody else waits for it.
    private async Task SendHistoryAsync(string argument)
    {
        var count = DefaultHistoryLines;
        if (argument.Length > 0 && (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1))
        {
            _member.Send(ChatLine.Error("Usage: /history [N], N a number of lines from 1 to " + MaxHistoryLines.ToString(CultureInfo.InvariantCulture)));
            return;
        }

        count = Math.Min(count, MaxHistoryLines);
        IReadOnlyList<HistoryEntry> lines;
        try
        {
            lines = _services.Store is null
                ? _services.Room.Recent.Last(count)
                : (await _services.Store.ReadHistoryAsync(before: null, count, search: null, StopToken).ConfigureAwait(false))
                    .Where(entry => entry.Kind != HistoryKind.Private).Reverse().ToList();
        }
        catch (StoreUnavailableException)
        {
            _member.Send(ChatLine.Error("History is unavailable right now; try again later."));
            return;
        }

        SendHistoryLines(lines, lines.Count == 0 ? "No history yet." : LastLines(lines.Count));
    }

    private void SendHistoryLines(IReadOnlyList<HistoryEntry> lines, string header)
    {
        _member.Send(ChatLine.Notice(header));
        foreach (var entry in lines)
        {
            var line = entry.Kind switch
            {
                HistoryKind.Message => ChatLine.Message(entry.Nick ?? "?", entry.Text),
                HistoryKind.Action => ChatLine.Action(entry.Nick ?? "?", entry.Text),
                _ => ChatLine.Notice(entry.Text),
            };
            _member.Send(ChatLine.Replayed(entry.Time, line));
        }
    }

    private void SendHelp()
    {
        _member.Send(ChatLine.Notice("Type a line to send it to everyone. Commands:"));
        foreach (var (usage, description) in CommandParser.Commands)
        {
            _member.Send(ChatLine.Notice($"  {usage,-16} {description}"));
        }
    }
}
