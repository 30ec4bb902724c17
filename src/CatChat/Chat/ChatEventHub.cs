using System.Threading.Channels;

namespace CatChat.Chat;

/// <summary>
/// Fans chat events out to subscribers (the SSE feed). Publishing never waits: each subscriber has a
/// bounded queue, and one that falls behind loses its oldest events rather than slowing the chat.
/// </summary>
public sealed class ChatEventHub
{
    private const int QueueCapacity = 1024;

    private readonly Lock _gate = new();
    private Subscription[] _subscriptions = [];

    public int SubscriberCount => Volatile.Read(ref _subscriptions).Length;

    public void Publish(ChatEvent chatEvent)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.IncludeChatLines || !chatEvent.IsChatLine)
            {
                subscription.Queue.Writer.TryWrite(chatEvent);
            }
        }
    }

    /// <summary>Subscribes until <see cref="Subscription.Dispose"/>; read events from <see cref="Subscription.Reader"/>.</summary>
    public Subscription Subscribe(bool includeChatLines)
    {
        var subscription = new Subscription(this, includeChatLines);
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = Array.FindAll(_subscriptions, s => !ReferenceEquals(s, subscription));
        }
    }

    /// <summary>One subscriber's queue of events.</summary>
    public sealed class Subscription(ChatEventHub hub, bool includeChatLines) : IDisposable
    {
        internal Channel<ChatEvent> Queue { get; } = Channel.CreateBounded<ChatEvent>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        internal bool IncludeChatLines { get; } = includeChatLines;

        public ChannelReader<ChatEvent> Reader => Queue.Reader;

        public void Dispose()
        {
            hub.Remove(this);
            Queue.Writer.TryComplete();
        }
    }
}
