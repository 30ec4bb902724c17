using CatChat.Chat;

namespace CatChat.Api;

/// <summary><c>/api/rooms</c>: the rooms with a member on this node, and how many each has. Public, like the user count.</summary>
internal static class RoomsApi
{
    public static void MapRoomsApi(this RouteGroupBuilder api) =>
        api.MapGet("/rooms", (ChatRoom room) =>
            TypedResults.Ok(new RoomsResponse([.. room.Rooms.Select(r => new RoomSummary(r.Name, r.Count))])))
        .WithName("GetRooms")
        .WithSummary("The rooms with a member on this node, the default room first, each with its number of members here.");
}
