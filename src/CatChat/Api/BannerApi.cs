using CatChat.Chat;

namespace CatChat.Api;

/// <summary><c>/api/banner</c>: the greeting every new chat login gets.</summary>
internal static class BannerApi
{
    public static void MapBannerApi(this RouteGroupBuilder api, RouteGroupBuilder admin)
    {
        api.MapGet("/banner", (ChatRoom room) => TypedResults.Ok(new BannerResponse(string.Join('\n', room.Banner))))
            .WithName("GetBanner")
            .WithSummary("The current banner; lines are separated by \\n.");

        admin.MapPost("/banner", SetBanner)
            .WithName("SetBanner")
            .WithSummary("Sets the banner for every login from now on. Control characters and escape sequences are removed.");
        admin.MapPut("/banner", SetBanner)
            .WithName("PutBanner")
            .WithSummary("Same as POST /api/banner.");
    }

    private static IResult SetBanner(BannerRequest request, ChatRoom room, HttpContext http)
    {
        var (lines, error) = TextInput.Banner(request.Banner);
        if (lines is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid banner", detail: error);
        }

        room.SetBanner(lines, AdminAuthentication.Actor(http));
        return TypedResults.Ok(StatusResponse.Success(string.Join('\n', lines)));
    }
}
