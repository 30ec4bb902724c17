using System.ComponentModel;
using System.Text.Json.Serialization;
using CatChat.Chat;

namespace CatChat.Api;

/// <summary><c>GET /api/history</c>: pages back through the stored chat history (admin).</summary>
internal static class HistoryApi
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 500;

    public static void MapHistoryApi(this RouteGroupBuilder admin) =>
        admin.MapGet("/history", GetHistoryAsync)
            .WithName("GetHistory")
            .WithSummary("Stored chat history of one room (the default one unless 'room' is given), newest first. Pass the answer's 'next' as 'cursor' to get the page after it; 'search' matches text or nick.")
            .Produces<HistoryResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> GetHistoryAsync(
        IChatStore store,
        [Description("The 'next' value of the previous page: continues after its last line. Opaque.")] string? cursor,
        [Description("Only lines older than this time (ISO 8601), for people; scripts that page should follow 'next' instead.")] DateTimeOffset? before,
        [Description("Lines per page, 1 to 500 (default 50).")] int? limit,
        [Description("Only lines whose text or nick contains this.")] string? search,
        [Description("The room (#name, # sent as %23); the default room when absent.")] string? room,
        ChatRoom chat,
        CancellationToken cancel)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return BadRequest($"'limit' is not a whole number from 1 to {MaxLimit}.");
        }

        HistoryCursor? from = null;
        if (cursor is not null)
        {
            if (before is not null)
            {
                return BadRequest("Give either 'cursor' or 'before', not both.");
            }

            if (!HistoryCursor.TryParse(cursor, out var parsed))
            {
                return BadRequest("'cursor' is not a cursor from this API: pass the 'next' value of a page unchanged.");
            }

            from = parsed;
        }
        else if (before is { } time)
        {
            from = HistoryCursor.Before(time);
        }

        string? roomKey = null;
        if (!string.IsNullOrWhiteSpace(room))
        {
            if (CatChat.Protocol.RoomName.Validate(room.Trim()) is { } invalid)
            {
                return BadRequest($"'room' is not a room name: {invalid}.");
            }

            roomKey = CatChat.Protocol.RoomName.Comparer.Equals(room.Trim(), chat.RoomLimits.DefaultRoom) ? null : Room.KeyOf(room.Trim());
        }

        var take = limit ?? DefaultLimit;
        try
        {
            var page = await store.ReadHistoryPageAsync(from, take, string.IsNullOrWhiteSpace(search) ? null : search.Trim(), roomKey, cancel);
            return TypedResults.Ok(new HistoryResponse(page.Lines, page.Next?.Encode()));
        }
        catch (StoreUnavailableException ex)
        {
            return StoreProblem.Unavailable(ex);
        }
    }

    private static IResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid history request", detail: detail);
}

/// <summary>A page of history, newest first, and the <c>cursor</c> of the page after it (null at the end).</summary>
public sealed record HistoryResponse(
    IReadOnlyList<HistoryEntry> Lines,

    // Written even when null: "next": null says plainly that this was the last page.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    [property: Description("Pass as 'cursor' for the next (older) page; null on the last page.")]
    string? Next);
