using CatChat.Chat;

namespace CatChat.Tests;

public sealed class ChatEventHubTests
{
    [Fact]
    public void NobodyListeningWantsNothing()
    {
        var hub = new ChatEventHub();

        Assert.False(hub.Wants(ChatEventKind.Message));
        Assert.False(hub.Wants(ChatEventKind.Join));
    }

    [Fact]
    public void ASubscriberWithoutLinesWantsComingsAndGoingsButNoLines()
    {
        var hub = new ChatEventHub();
        using var monitor = hub.Subscribe(includeChatLines: false);

        Assert.True(hub.Wants(ChatEventKind.Join));
        Assert.False(hub.Wants(ChatEventKind.Message));
        Assert.False(hub.Wants(ChatEventKind.Action));
    }

    [Fact]
    public void LinesAreWantedWhileALineSubscriberStaysAndNotAfterItLeaves()
    {
        var hub = new ChatEventHub();
        using var monitor = hub.Subscribe(includeChatLines: false);
        var feed = hub.Subscribe(includeChatLines: true);
        Assert.True(hub.Wants(ChatEventKind.Message));

        hub.Publish(new ChatEvent(ChatEventKind.Message, DateTimeOffset.UnixEpoch, 1, "alice", Text: "hi"));
        Assert.True(feed.Reader.TryRead(out var line));
        Assert.Equal("hi", line.Text);
        Assert.False(monitor.Reader.TryRead(out _));

        feed.Dispose();
        feed.Dispose(); // Twice changes nothing.
        Assert.False(hub.Wants(ChatEventKind.Message));
        Assert.True(hub.Wants(ChatEventKind.Leave));
    }

    [Fact]
    public void AListenerIsToldOnThePublishersThreadBeforePublishReturnsAndNeverOfLines()
    {
        var hub = new ChatEventHub();
        var told = new List<(ChatEventKind Kind, int Thread)>();
        using (hub.Listen(happened => told.Add((happened.Kind, Environment.CurrentManagedThreadId))))
        {
            hub.Publish(new ChatEvent(ChatEventKind.Join, DateTimeOffset.UnixEpoch, 1, "alice"));
            Assert.Equal([(ChatEventKind.Join, Environment.CurrentManagedThreadId)], told);
            Assert.False(hub.Wants(ChatEventKind.Message));
            hub.Publish(new ChatEvent(ChatEventKind.Message, DateTimeOffset.UnixEpoch, 1, "alice", Text: "hi"));
        }

        hub.Publish(new ChatEvent(ChatEventKind.Leave, DateTimeOffset.UnixEpoch, 0, "alice"));
        Assert.Single(told);
    }
}
