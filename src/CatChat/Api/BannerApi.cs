using CatChat.Chat;

namespace CatChat.Api;

/// <summary><c>/api/banner</c>: the greeting every new chat login gets.</summary>
internal static class BannerApi
{
    public static void MapBannerApi(this RouteGroupBuilder api, RouteGroupBuilder admin)
    {
        api.MapGet("/banner", (ChatRoom room) => TypedResults.Ok(new BannerResponse(room.Banner.ToString())))
            .WithName("GetBanner")
            .WithSummary("The current banner; lines are separated by \\n.");

        admin.MapPost("/banner", SetBanner)
            .WithName("SetBanner")
            .WithSummary("Sets the banner for every login from now on. Control characters and escape sequences are removed.");
        admin.MapPut("/banner", SetBanner)
            .WithName("PutBanner")
            .WithSummary("Same as POST /api/banner.");
    }

    private static async Task<IResult> SetBanner(BannerRequest request, ChatRoom room, IChatStore store, TimeProvider time, HttpContext http)
    {
        var banner = BannerText.TryParse(request.Banner, out var error);
        if (banner is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid banner", detail: error);
        }

        // Durable first: while the database is away the old banner stays in force.
        var text = banner.ToString();
        var actor = AdminAuthentication.Actor(http);
        try
        {
            await store.SaveSettingAsync(Persistence.SettingKeys.Banner, text, new AuditEntry(time.GetUtcNow(), actor, "banner", text), http.RequestAborted);
        }
        catch (StoreUnavailableException ex)
        {
            return StoreProblem.Unavailable(ex);
        }

        room.SetBanner(banner, actor);
        return TypedResults.Ok(StatusResponse.Success(text));
    }
}
