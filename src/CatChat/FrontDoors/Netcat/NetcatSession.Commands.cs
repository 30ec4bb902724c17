using System.Globalization;
using CatChat.Chat;
using CatChat.Protocol;

using CatChat.Sessions;

namespace CatChat.FrontDoors.Netcat;

/// <summary>What each command does.</summary>
internal sealed partial class NetcatSession
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
                Room.Say(Member, command.Text, receivedAt);
                return true;
            case CommandKind.Me:
                Room.Act(Member, command.Text, receivedAt);
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
                Member.Send(ChatLine.Notice("Goodbye!"));
                SetCloseReason(CloseReasons.Quit);
                return false;
            case CommandKind.Help:
                SendHelp();
                return true;
            case CommandKind.History:
                await SendHistoryAsync(command.Text).ConfigureAwait(false);
                return true;
            case CommandKind.MissingArgument:
                Member.Send(ChatLine.Error("Usage: " + CommandParser.UsageOf(command.Text)));
                return true;
            default:
                Member.Send(ChatLine.Error($"Unknown command /{command.Text}. Type /help for the commands."));
                return true;
        }
    }

    private async Task ChangeNickAsync(string newNick)
    {
        var oldNick = Member.Nick;
        if (string.Equals(oldNick, newNick, StringComparison.Ordinal))
        {
            Member.Send(ChatLine.Notice($"You are already {oldNick}."));
            return;
        }

        var refusal = await Room.TryRenameAsync(Member, newNick, StopToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            Member.Send(ChatLine.Error($"Cannot change nickname to {newNick}: {refusal}."));
            return;
        }

        SessionLog.Renamed(Logger, oldNick, newNick);
    }

    private void ListUsers()
    {
        foreach (var line in Room.Who(MaxNamesInWho))
        {
            Member.Send(line);
        }
    }

    private void SendPrivate(string targetNick, string text)
    {
        var (recipient, error) = Room.SendPrivate(Member, targetNick, text);
        if (error is not null)
        {
            Member.Send(ChatLine.Error(error));
            return;
        }

        if (ChatOptions.HistoryPrivate)
        {
            Room.RecordPrivate(Member, recipient!, text);
        }
    }

    private void ReplayRecentHistory()
    {
        if (ChatOptions.HistoryReplay <= 0)
        {
            return;
        }

        var lines = Room.Recent.Last(ChatOptions.HistoryReplay);
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
            Member.Send(ChatLine.Error("Usage: /history [N], N a number of lines from 1 to " + MaxHistoryLines.ToString(CultureInfo.InvariantCulture)));
            return;
        }

        count = Math.Min(count, MaxHistoryLines);
        IReadOnlyList<HistoryEntry> lines;
        try
        {
            lines = Store is null
                ? Room.Recent.Last(count)
                : (await Store.ReadHistoryAsync(before: null, count, search: null, StopToken).ConfigureAwait(false))
                    .Where(entry => entry.Kind != HistoryKind.Private).Reverse().ToList();
        }
        catch (StoreUnavailableException)
        {
            Member.Send(ChatLine.Error("History is unavailable right now; try again later."));
            return;
        }

        SendHistoryLines(lines, lines.Count == 0 ? "No history yet." : LastLines(lines.Count));
    }

    private void SendHistoryLines(IReadOnlyList<HistoryEntry> lines, string header)
    {
        Member.Send(ChatLine.Notice(header));
        foreach (var entry in lines)
        {
            var line = entry.Kind switch
            {
                HistoryKind.Message => ChatLine.Message(entry.Nick ?? "?", entry.Text),
                HistoryKind.Action => ChatLine.Action(entry.Nick ?? "?", entry.Text),
                _ => ChatLine.Notice(entry.Text),
            };
            Member.Send(ChatLine.Replayed(entry.Time, line));
        }
    }

    private void SendHelp()
    {
        Member.Send(ChatLine.Notice("Type a line to send it to everyone. Commands:"));
        foreach (var (usage, description) in CommandParser.Commands)
        {
            Member.Send(ChatLine.Notice($"  {usage,-16} {description}"));
        }
    }
}
