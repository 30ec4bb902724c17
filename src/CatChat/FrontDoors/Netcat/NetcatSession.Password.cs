using System.Globalization;
using CatChat.Protocol;
using CatChat.Sessions;

namespace CatChat.FrontDoors.Netcat;

/// <summary>
/// A chat with a password (--chat-password): after the banner the netcat user is asked for it and types it as a line;
/// only then is the user in the chat (a guest nickname, the room, the welcome). A wrong one ends the connection after
/// a pause, so each guess costs a connection held for a while, and the per-address limits count those.
/// </summary>
internal sealed partial class NetcatSession
{
    private static readonly TimeSpan PasswordPatience = TimeSpan.FromSeconds(60);

    private bool AwaitingPassword => Volatile.Read(ref _awaitingPassword);

    private void AskForPassword()
    {
        Volatile.Write(ref _awaitingPassword, true);
        Member.Send(ChatLine.Notice(string.Create(
            CultureInfo.InvariantCulture, $"This chat needs a password: type it and press Enter (within {PasswordPatience.TotalSeconds:0} seconds).")));
        _loginTimer = Time.CreateTimer(static state => ((NetcatSession)state!).PasswordDeadlinePassed(), this, PasswordPatience, Timeout.InfiniteTimeSpan);
    }

    // A connection that never types it would hold a place under the connection caps for ever.
    private void PasswordDeadlinePassed()
    {
        if (AwaitingPassword)
        {
            Member.Send(ChatLine.Error("No password typed in time. Goodbye!"));
            Close(CloseReasons.PasswordTimeout);
        }
    }

    // Returns false when the connection ends (a wrong password).
    private async ValueTask<bool> PasswordReceivedAsync(string typed)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return true; // Enter pressed on its own.
        }

        if (!ChatOptions.AdmitsPassword(typed))
        {
            Member.Send(ChatLine.Error("Wrong password. Goodbye!"));
            return await CloseForWrongPasswordAsync().ConfigureAwait(false);
        }

        Volatile.Write(ref _awaitingPassword, false);
        _loginTimer?.Dispose();
        _loginTimer = null;
        using var greetingAtOnce = HoldWrites();
        if (!EnterChat())
        {
            return false;
        }

        AnnounceJoin(); // A line typed: a person, not a browser, so the arrival is told at once.
        return true;
    }
}
