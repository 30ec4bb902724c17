namespace CatChat.Sessions;

/// <summary>The chat's password (--chat-password): what every front door does once it has refused one.</summary>
internal abstract partial class ChatSession
{
    /// <summary>
    /// After a wrong or missing chat password (--chat-password), told by the front door: the connection is held this
    /// long, reading nothing more, then closed. With a few connections allowed per address, guessing from one address
    /// is slowed to a few tries a second; nobody else waits for it.
    /// </summary>
    protected static readonly TimeSpan WrongPasswordPause = TimeSpan.FromSeconds(2);

    /// <summary>Holds the connection for <see cref="WrongPasswordPause"/>, then closes it; false, for "read no further".</summary>
    protected async ValueTask<bool> CloseForWrongPasswordAsync()
    {
        await WaitAsync(WrongPasswordPause).ConfigureAwait(false);
        Close(CloseReasons.WrongPassword);
        return false;
    }
}
