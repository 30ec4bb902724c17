using CatChat.Chat;

namespace CatChat.Api;

/// <summary><c>GET /api/history</c>: pages back through the stored chat history (admin).</summary>
internal static class HistoryApi
{
    private const int MaxLimit = 500;

    public static void MapHistoryApi(this RouteGroupBuilder admin) =>
        admin.MapGet("/history", async (IChatStore store, DateTimeOffset? before, int? limit, string? search, CancellationToken cancel) =>
        {
            var take = Math.Clamp(limit ?? 50, 1, MaxLimit);
            try
            {
                var lines = await store.ReadHistoryAsync(before, take, string.IsNullOrWhiteSpace(search) ? null : search.Trim(), cancel);
                return Results.Ok(new HistoryResponse(lines, lines.Count == take ? lines[^1].Time : null));
            }
            catch (StoreUnavailableException ex)
            {
                return StoreProblem.Unavailable(ex);
            }
        })
        .WithName("GetHistory")
        .WithSummary("Stored chat history, newest first; pass the answer's 'before' to get the page after it. 'search' matches text or nick.");
}

/// <summary>A page of history, newest first, and the <c>before</c> value of the next page (null at the end).</summary>
public sealed record HistoryResponse(IReadOnlyList<HistoryEntry> Lines, DateTimeOffset? Before);
