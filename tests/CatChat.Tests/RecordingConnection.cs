using CatChat.Chat;

namespace CatChat.Tests;

/// <summary>A member's connection that only records what the room and the outbox asked of it.</summary>
internal sealed class RecordingConnection : IMemberConnection
{
    private int _slowConsumer;

    public List<string> CloseReasons { get; } = [];

    public int SlowConsumerCount => Volatile.Read(ref _slowConsumer);

    public void Close(string reason)
    {
        lock (CloseReasons)
        {
            CloseReasons.Add(reason);
        }
    }

    public void OnSlowConsumer() => Interlocked.Increment(ref _slowConsumer);
}
