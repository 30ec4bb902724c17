using CatChat.Chat;
using CatChat.Protocol;
using Microsoft.Extensions.Options;

namespace CatChat.Api;

/// <summary>Kicking users and announcing to everyone.</summary>
internal static class ModerationApi
{
    private const string DefaultKickReason = "kicked by an administrator";
    private const int MaxReasonBytes = 300;

    public static void MapModerationApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/users/{nick}/kick", Kick)
            .WithName("KickUser")
            .WithSummary("Disconnects a user; the reason is shown to them and to the room. With a room, only takes them out of it (a user of this server).");

        admin.MapPost("/announce", Announce)
            .WithName("Announce")
            .WithSummary("Sends an announcement line to everyone in the chat, or to one room's members on every server.");
    }

    private static async Task<IResult> Kick(string nick, KickRequest? request, ChatRoom room, IChatStore store, TimeProvider time, HttpContext http)
    {
        var reason = DefaultKickReason;
        if (!string.IsNullOrWhiteSpace(request?.Reason))
        {
            var (clean, error) = TextInput.OneLine(request.Reason, "reason", MaxReasonBytes);
            if (clean is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid reason", detail: error);
            }

            reason = clean;
        }

        var member = room.Find(nick);
        if (request?.Room is { Length: > 0 } roomName)
        {
            if (member is null && room.Backplane.IsClustered && room.Cluster.Find(nick) is { } remoteMember)
            {
                return remoteMember.Rooms.FirstOrDefault(r => RoomName.Comparer.Equals(r, roomName)) is { } remoteRoom
                    ? await KickRemote(remoteMember, reason, room, store, time, http, remoteRoom)
                    : NotInRoom(remoteMember.Nick, roomName);
            }

            return await RemoveFromRoom(nick, member, roomName, reason, room, store, time, http);
        }

        if (member is null)
        {
            return room.Backplane.IsClustered && room.Cluster.Find(nick) is { } remote
                ? await KickRemote(remote, reason, room, store, time, http)
                : NoSuchUser(nick);
        }

        var actor = AdminAuthentication.Actor(http);
        try
        {
            await store.AppendAuditAsync(new AuditEntry(time.GetUtcNow(), actor, "kick", $"{member.Nick} ({member.RemoteAddress}): {reason}"), http.RequestAborted);
        }
        catch (StoreUnavailableException ex)
        {
            return StoreProblem.Unavailable(ex);
        }

        room.Kick(member, reason, actor);
        return TypedResults.Ok(StatusResponse.Success());
    }

    // Out of one room, not the chat, for a user of this node (another node's user: KickRemote, with the room).
    private static async Task<IResult> RemoveFromRoom(string nick, ChatMember? member, string roomName, string reason, ChatRoom room, IChatStore store, TimeProvider time, HttpContext http)
    {
        if (member is null)
        {
            return NoSuchUser(nick);
        }

        if (member.Rooms.FirstOrDefault(r => RoomName.Comparer.Equals(r.Name, roomName)) is not { } joined)
        {
            return NotInRoom(member.Nick, roomName);
        }

        var actor = AdminAuthentication.Actor(http);
        try
        {
            await store.AppendAuditAsync(new AuditEntry(time.GetUtcNow(), actor, "kick", $"{member.Nick} ({member.RemoteAddress}) from {joined.Name}: {reason}"), http.RequestAborted);
        }
        catch (StoreUnavailableException ex)
        {
            return StoreProblem.Unavailable(ex);
        }

        room.RemoveFromRoom(member, joined, reason, actor);
        return TypedResults.Ok(StatusResponse.Success());
    }

    private static IResult NotInRoom(string nick, string roomName) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not in that room", detail: $"'{nick}' is not in '{roomName}'.");

    // The user's own node carries out the kick (from the chat, or from one room); this one audits it and passes it on.
    private static async Task<IResult> KickRemote(
        RemoteMember member, string reason, ChatRoom room, IChatStore store, TimeProvider time, HttpContext http, string? fromRoom = null)
    {
        if (room.Backplane.State != BackplaneState.Whole)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Server unreachable",
                detail: $"'{member.Nick}' is on server {member.NodeName}, which cannot be reached right now.");
        }

        var actor = AdminAuthentication.Actor(http);
        try
        {
            await store.AppendAuditAsync(
                new AuditEntry(
                    time.GetUtcNow(), actor, "kick", $"{member.Nick} ({member.RemoteAddress} on {member.NodeName})" + (fromRoom is null ? string.Empty : $" from {fromRoom}") + $": {reason}"),
                http.RequestAborted);
        }
        catch (StoreUnavailableException ex)
        {
            return StoreProblem.Unavailable(ex);
        }

        room.KickRemote(member, reason, actor, fromRoom);
        return TypedResults.Ok(StatusResponse.Success());
    }

    private static async Task<IResult> Announce(AnnounceRequest request, ChatRoom room, IOptionsMonitor<ChatOptions> options, IChatStore store, TimeProvider time, HttpContext http)
    {
        var (message, error) = TextInput.OneLine(request.Message, "message", options.CurrentValue.MaxLineBytes);
        if (message is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid announcement", detail: error);
        }

        RoomListing? target = null;
        if (request.Room is { Length: > 0 } roomName && (target = room.ListingOf(roomName)) is null)
        {
            return RoomsApi.NoSuchRoom(roomName);
        }

        var actor = AdminAuthentication.Actor(http);
        try
        {
            await store.AppendAuditAsync(new AuditEntry(time.GetUtcNow(), actor, "announce", target is null ? message : $"{target.Name}: {message}"), http.RequestAborted);
        }
        catch (StoreUnavailableException ex)
        {
            return StoreProblem.Unavailable(ex);
        }

        if (target is null)
        {
            room.Announce(message, actor);
        }
        else
        {
            room.AnnounceToRoom(target.Name, message, actor);
        }
        return TypedResults.Ok(StatusResponse.Success());
    }

    private static IResult NoSuchUser(string nick) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such user", detail: $"Nobody is online as '{nick}'.");
}
