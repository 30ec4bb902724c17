using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>The room's end: everyone is told and asked to leave, and nobody new gets in.</summary>
public sealed partial class ChatRoom
{
    /// <summary>True once shutdown has begun: no one new joins and departures are not announced.</summary>
    public bool IsShuttingDown { get; private set; }

    /// <summary>
    /// Tells everyone the server is going away, asks every connection to close, and waits (bounded)
    /// until all have left.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan timeout)
    {
        ChatMember[] members;
        Task emptied;
        // The other nodes drop this node's users at once, rather than after its heartbeats stop.
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.Bye));
        lock (_gate)
        {
            IsShuttingDown = true;
            members = _members.Snapshot();
            _emptied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (members.Length == 0)
            {
                _emptied.TrySetResult();
            }

            emptied = _emptied.Task;
        }

        var notice = new Delivery(DeliveryKind.Notice, ChatLine.Notice("Server is shutting down. Goodbye!"));
        foreach (var member in members)
        {
            member.Deliver(notice);
            member.Disconnect("server shutting down");
        }

        await Task.WhenAny(emptied, Task.Delay(timeout)).ConfigureAwait(false);
    }
}
