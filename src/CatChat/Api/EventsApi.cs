using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using CatChat.Chat;

namespace CatChat.Api;

/// <summary>
/// <c>GET /api/events</c>: a Server-Sent Events stream of what happens in the chat (join, leave, nick,
/// banner, kick, announce; message and action with <c>?chat=true</c>), plus a <c>stats</c> event every second.
/// </summary>
internal static class EventsApi
{
    private static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(1);

    public static void MapEventsApi(this RouteGroupBuilder admin) =>
        admin.MapGet("/events", (ChatRoom room, TimeProvider time, bool? chat, CancellationToken cancel) =>
            TypedResults.ServerSentEvents(StreamAsync(room, time, chat ?? false, cancel)))
        .WithName("GetEvents")
        .WithSummary("Live chat events as Server-Sent Events; ?chat=true adds chat lines.");

    private static async IAsyncEnumerable<SseItem<object>> StreamAsync(
        ChatRoom room, TimeProvider time, bool includeChatLines, [EnumeratorCancellation] CancellationToken cancel)
    {
        using var subscription = room.Events.Subscribe(includeChatLines);
        yield return Stats(room, time);
        var nextStats = time.GetTimestamp();
        while (!cancel.IsCancellationRequested)
        {
            var untilStats = StatsInterval - time.GetElapsedTime(nextStats);
            if (untilStats <= TimeSpan.Zero)
            {
                nextStats = time.GetTimestamp();
                yield return Stats(room, time);
                continue;
            }

            bool hasEvents;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                wait.CancelAfter(untilStats);
                try
                {
                    hasEvents = await subscription.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    continue; // Time for the next stats event.
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }

            if (!hasEvents)
            {
                yield break;
            }

            while (subscription.Reader.TryRead(out var chatEvent))
            {
                yield return new SseItem<object>(chatEvent, EventName(chatEvent.Kind));
            }
        }
    }

    private static SseItem<object> Stats(ChatRoom room, TimeProvider time) =>
        new(new StatsEvent(time.GetUtcNow(), room.ClusterCount, room.Metrics.LinesReceived, room.Metrics.LinesDelivered), "stats");

    private static string EventName(ChatEventKind kind) => kind.ToString().ToLowerInvariant();
}
