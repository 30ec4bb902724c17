using CatChat.Chat;

namespace CatChat.Api;

/// <summary><c>/api/users</c>: how many are online for anyone; who, from where, since when (and on which node) for an admin.</summary>
internal static class UsersApi
{
    public static void MapUsersApi(this RouteGroupBuilder api) =>
        api.MapGet("/users", (HttpContext http, ChatRoom room) =>
        {
            var members = room.Members;
            var clustered = room.Backplane.IsClustered;
            var remote = clustered && room.Backplane.State == BackplaneState.Whole ? room.Cluster.Members : [];
            var total = members.Count + remote.Count;
            if (http.User.Identity?.IsAuthenticated != true)
            {
                return TypedResults.Ok(new UsersResponse(total, null));
            }

            var node = clustered ? room.Backplane.NodeName : null;
            var connected = members
                .Select(m => new ConnectedUser(m.Nick, m.RemoteAddress, m.ConnectedAt, m.LinesSent, node, [.. m.Rooms.Select(r => r.Name)], m.Door))
                .Concat(remote.Select(m => new ConnectedUser(m.Nick, m.RemoteAddress, m.ConnectedAt, null, m.NodeName, m.Rooms, m.Door)))
                .OrderBy(u => u.Nick, StringComparer.OrdinalIgnoreCase)
                .ToList();
            return TypedResults.Ok(new UsersResponse(total, connected, clustered ? ClusterApi.Nodes(room) : null));
        })
        .WithName("GetUsers")
        .WithSummary("The number of users online (on every node of a cluster); with the admin token, the list of them and how many are on each node.");
}
