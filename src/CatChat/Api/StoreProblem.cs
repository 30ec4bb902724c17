using CatChat.Chat;

namespace CatChat.Api;

/// <summary>The answer to an admin write while the database is away: 503, and nothing was changed.</summary>
internal static class StoreProblem
{
    public static IResult Unavailable(StoreUnavailableException ex) => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Database unavailable",
        detail: "Nothing was changed: the change could not be stored. Try again later. (" + ex.Message + ")");
}
