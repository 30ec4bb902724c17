using System.ComponentModel;
using CatChat.Chat;
using CatChat.Protocol;

namespace CatChat.Api;

/// <summary><c>POST /api/history/{id}/redact</c>: an administrator deletes a chat line, stored or recent, on every node.</summary>
internal static class RedactionApi
{
    private const int MaxReasonBytes = 300;

    public static void MapRedactionApi(this RouteGroupBuilder admin) =>
        admin.MapPost("/history/{id}/redact", RedactAsync)
            .WithName("RedactLine")
            .WithSummary("Deletes a chat line by its message id (a history line's 'messageId'): from the stored history and every node's recent lines; IRC clients that follow redactions and web pages are told. 'room' is the line's room (the default one when absent). 404 when this node neither stored nor recently saw the line; the redaction is passed on to the other nodes all the same.")
            .Produces<RedactResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> RedactAsync(
        [Description("The line's message id, as 'messageId' in GET /api/history.")] string id,
        RedactRequest? request,
        ChatRoom chat,
        IChatStore store,
        TimeProvider time,
        HttpContext http)
    {
        if (!MessageIds.IsWellFormed(id))
        {
            return BadRequest("Invalid message id", $"A message id is 1 to {MessageIds.MaxLength} ASCII letters, digits, '.', '_', ':' or '-'.");
        }

        // Null for the default room, which is how the chat core and the stored history name it too.
        string? roomName = null;
        if (request?.Room is { } given && !string.IsNullOrWhiteSpace(given))
        {
            given = given.Trim();
            if (RoomName.Validate(given) is { } invalid)
            {
                return BadRequest("Invalid room", $"'room' is not a room name: {invalid}.");
            }

            // The history's key is the name in lower case; the room keeps its own spelling wherever it still has members.
            roomName = RoomName.Comparer.Equals(given, chat.RoomLimits.DefaultRoom) ? null : chat.ListingOf(given)?.Name ?? given;
        }

        string? reason = null;
        if (!string.IsNullOrWhiteSpace(request?.Reason))
        {
            (reason, var error) = TextInput.OneLine(request.Reason, "reason", MaxReasonBytes);
            if (reason is null)
            {
                return BadRequest("Invalid reason", error!);
            }
        }

        var room = roomName ?? chat.RoomLimits.DefaultRoom;
        int stored;
        try
        {
            var actor = AdminAuthentication.Actor(http);
            await store.AppendAuditAsync(
                new AuditEntry(time.GetUtcNow(), actor, "redact", $"{room} {id}" + (reason is null ? string.Empty : $": {reason}")), http.RequestAborted);
            stored = await store.DeleteHistoryAsync([id], http.RequestAborted);
        }
        catch (StoreUnavailableException ex)
        {
            return StoreProblem.Unavailable(ex);
        }

        // Passed on even when unknown here: another node may still hold the line, or its history writer may not have stored it yet.
        var recent = chat.RedactAsAdministrator(roomName, id, reason);
        if (stored == 0 && !recent)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No such line",
                detail: $"No stored line has the id '{id}', nor do the recent lines of {room} on this server.");
        }

        return TypedResults.Ok(new RedactResponse("SUCCESS", stored, recent));
    }

    private static IResult BadRequest(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);
}
