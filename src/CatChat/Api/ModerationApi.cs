using CatChat.Chat;
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
            .WithSummary("Disconnects a user; the reason is shown to them and to the room.");

        admin.MapPost("/announce", Announce)
            .WithName("Announce")
            .WithSummary("Sends an announcement line to everyone in the chat.");
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

    // The user's own node carries out the kick; this one audits it and passes it on.
    private static async Task<IResult> KickRemote(RemoteMember member, string reason, ChatRoom room, IChatStore store, TimeProvider time, HttpContext http)
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
                new AuditEntry(time.GetUtcNow(), actor, "kick", $"{member.Nick} ({member.RemoteAddress} on {member.NodeName}): {reason}"), http.RequestAborted);
        }
        catch (StoreUnavailableException ex)
        {
            return StoreProblem.Unavailable(ex);
        }

        room.KickRemote(member, reason, actor);
        return TypedResults.Ok(StatusResponse.Success());
    }

    private static async Task<IResult> Announce(AnnounceRequest request, ChatRoom room, IOptionsMonitor<ChatOptions> options, IChatStore store, TimeProvider time, HttpContext http)
    {
        var (message, error) = TextInput.OneLine(request.Message, "message", options.CurrentValue.MaxLineBytes);
        if (message is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid announcement", detail: error);
        }

        var actor = AdminAuthentication.Actor(http);
        try
        {
            await store.AppendAuditAsync(new AuditEntry(time.GetUtcNow(), actor, "announce", message), http.RequestAborted);
        }
        catch (StoreUnavailableException ex)
        {
            return StoreProblem.Unavailable(ex);
        }

        room.Announce(message, actor);
        return TypedResults.Ok(StatusResponse.Success());
    }

    private static IResult NoSuchUser(string nick) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such user", detail: $"Nobody is online as '{nick}'.");
}
