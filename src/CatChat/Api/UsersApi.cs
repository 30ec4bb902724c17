using CatChat.Chat;

namespace CatChat.Api;

/// <summary><c>/api/users</c>: how many are online for anyone; who, from where and since when for an admin.</summary>
internal static class UsersApi
{
    public static void MapUsersApi(this RouteGroupBuilder api) =>
        api.MapGet("/users", (HttpContext http, ChatRoom room) =>
        {
            var members = room.Members;
            if (http.User.Identity?.IsAuthenticated != true)
            {
                return TypedResults.Ok(new UsersResponse(members.Count, null));
            }

            var connected = members
                .Select(m => new ConnectedUser(m.Nick, m.RemoteAddress, m.ConnectedAt, m.LinesSent))
                .OrderBy(u => u.Nick, StringComparer.OrdinalIgnoreCase)
                .ToList();
            return TypedResults.Ok(new UsersResponse(members.Count, connected));
        })
        .WithName("GetUsers")
        .WithSummary("The number of users online; with the admin token, the list of them.");
}
