using CatChat.Chat;

namespace CatChat.IntegrationTests.Support;

/// <summary>An outbox's owner that ignores being closed or found slow: the tests look at the socket instead.</summary>
internal sealed class NobodyListening : IMemberConnection
{
    public void Close(string reason)
    {
    }

    public void OnSlowConsumer()
    {
    }
}
