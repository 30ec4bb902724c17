using CatChat.Chat;
using CatChat.Hosting;

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

    private static IResult Kick(string nick, KickRequest? request, ChatRoom room, HttpContext http)
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

        return room.Kick(nick, reason, AdminAuthentication.Actor(http))
            ? TypedResults.Ok(StatusResponse.Success())
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such user", detail: $"Nobody is online as '{nick}'.");
    }

    private static IResult Announce(AnnounceRequest request, ChatRoom room, CatChatOptions options, HttpContext http)
    {
        var (message, error) = TextInput.OneLine(request.Message, "message", options.MaxLineBytes);
        if (message is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid announcement", detail: error);
        }

        room.Announce(message, AdminAuthentication.Actor(http));
        return TypedResults.Ok(StatusResponse.Success());
    }
}
