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
    private int _lineSubscribers;

    /// <summary>
    /// Whether an event of this kind would reach anyone: chat lines are the hot path, and a subscriber that takes no
    /// lines (MONITOR's) should not make every line build an event nobody reads.
    /// </summary>
    public bool Wants(ChatEventKind kind)
    {
        var subscriptions = Volatile.Read(ref _subscriptions);
        if (subscriptions.Length == 0)
        {
            return false;
        }

        return !ChatEvent.IsChatLineKind(kind) || Volatile.Read(ref _lineSubscribers) > 0;
    }

    public void Publish(ChatEvent chatEvent)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.IncludeChatLines || !chatEvent.IsChatLine)
            {
                if (subscription.Inline is { } told)
                {
                    told(chatEvent);
                }
                else
                {
                    subscription.Queue.Writer.TryWrite(chatEvent);
                }
            }
        }
    }

    /// <summary>Subscribes until <see cref="Subscription.Dispose"/>; read events from <see cref="Subscription.Reader"/>.</summary>
    public Subscription Subscribe(bool includeChatLines) => Add(new Subscription(this, includeChatLines, inline: null));

    /// <summary>
    /// Calls <paramref name="told"/> with each event (no chat lines) on the publisher's thread, before the publisher
    /// goes on, until disposed: for listeners that must be told before the client that caused the event hears its
    /// next answer (MONITOR). It must be quick and never block.
    /// </summary>
    public Subscription Listen(Action<ChatEvent> told) => Add(new Subscription(this, includeChatLines: false, told));

    private Subscription Add(Subscription subscription)
    {
        var includeChatLines = subscription.IncludeChatLines;
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
            _lineSubscribers += includeChatLines ? 1 : 0;
        }

        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            var remaining = Array.FindAll(_subscriptions, s => !ReferenceEquals(s, subscription));
            if (remaining.Length < _subscriptions.Length && subscription.IncludeChatLines)
            {
                _lineSubscribers--;
            }

            _subscriptions = remaining;
        }
    }

    /// <summary>One subscriber's queue of events.</summary>
    public sealed class Subscription(ChatEventHub hub, bool includeChatLines, Action<ChatEvent>? inline) : IDisposable
    {
        internal Channel<ChatEvent> Queue { get; } = Channel.CreateBounded<ChatEvent>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        internal bool IncludeChatLines { get; } = includeChatLines;

        internal Action<ChatEvent>? Inline { get; } = inline;

        public ChannelReader<ChatEvent> Reader => Queue.Reader;

        public void Dispose()
        {
            hub.Remove(this);
            Queue.Writer.TryComplete();
        }
    }
}
