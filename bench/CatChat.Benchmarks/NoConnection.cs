using CatChat.Chat;

namespace CatChat.Benchmarks;

/// <summary>A member's connection for the benchmarks: nothing is ever closed, and an overflow is a broken benchmark.</summary>
internal sealed class NoConnection : IMemberConnection
{
    public static readonly NoConnection Instance = new();

    public void Close(string reason) => throw new InvalidOperationException("A benchmark member was closed: " + reason);

    public void OnSlowConsumer() => throw new InvalidOperationException("A benchmark outbox overflowed.");
}
