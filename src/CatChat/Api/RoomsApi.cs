using CatChat.Chat;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CatChat.Api;

/// <summary>
/// <c>/api/rooms</c>: the rooms with a member on any node, and how many each has. Public, like the user count, but for
/// secret rooms (+s), which only an admin is shown.
/// </summary>
internal static class RoomsApi
{
    public static void MapRoomsApi(this RouteGroupBuilder api, RouteGroupBuilder admin)
    {
        api.MapGet("/rooms", Results<Ok<RoomsResponse>, ProblemHttpResult> (HttpContext http, ChatRoom room, IOptionsMonitor<ChatOptions> chat) =>
            {
                var admin = http.User.Identity?.IsAuthenticated == true;
                if (!admin && chat.CurrentValue.NeedsPassword)
                {
                    // A chat behind a password is not public: neither are its rooms' names and topics.
                    return TypedResults.Problem(
                        statusCode: StatusCodes.Status401Unauthorized, title: "A private chat", detail: "This chat has a password: its rooms are listed with the admin token only.");
                }

                var rooms = admin ? room.RoomDirectory : room.RoomDirectoryFor(viewer: null);
                return TypedResults.Ok(new RoomsResponse([.. rooms.Select(r => new RoomSummary(r.Name, r.Members, r.Topic))]));
            })
            .WithName("GetRooms")
            .WithSummary("The rooms with a member on any server, the default room first, each with its number of members on every server and its topic; secret rooms (+s) only with the admin token, and in a chat with a password (--chat-password) none without it.");

        admin.MapGet("/rooms/{name}", (string name, ChatRoom room) =>
            room.ListingOf(name) is { } found
                ? Results.Ok(new RoomDetail(found.Name, found.Topic, room.NicksIn(found.Name)))
                : NoSuchRoom(name))
            .WithName("GetRoom")
            .WithSummary("A room's topic and its members on every server (the name's # may be sent as %23).");

        admin.MapPut("/rooms/{name}/topic", SetTopic)
            .WithName("SetTopic")
            .WithSummary("Sets a room's topic; its members are told who set it. Control characters and escape sequences are removed.");
    }

    /// <summary>A 404 naming the room that has nobody on this node.</summary>
    public static IResult NoSuchRoom(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such room", detail: $"Nobody is in '{name}'.");

    private static async Task<IResult> SetTopic(string name, TopicRequest request, ChatRoom room, IChatStore store, TimeProvider time, HttpContext http)
    {
        var (topic, error) = TextInput.OneLine(request.Topic, "topic", Room.MaxTopicLength);
        if (topic is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid topic", detail: error);
        }

        if (room.ListingOf(name) is not { } found)
        {
            return NoSuchRoom(name);
        }

        var actor = AdminAuthentication.Actor(http);
        try
        {
            // Durable first, as the banner: while the database is away the old topic stays.
            await store.SaveSettingAsync(
                Room.TopicSettingKeyOf(found.Name), topic, new AuditEntry(time.GetUtcNow(), actor, "topic", $"{found.Name}: {topic}"), http.RequestAborted);
        }
        catch (StoreUnavailableException ex)
        {
            return StoreProblem.Unavailable(ex);
        }

        room.SetTopic(found.Name, topic, actor);
        return TypedResults.Ok(StatusResponse.Success());
    }
}
