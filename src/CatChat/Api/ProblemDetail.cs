namespace CatChat.Api;

/// <summary>A sentence for every error status the framework answers on its own, so no problem+json comes without a message.</summary>
internal static class ProblemDetail
{
    public static string? For(int? status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request could not be read.",
        StatusCodes.Status401Unauthorized => "This needs the admin token: send 'Authorization: Bearer <token>', or sign in to the dashboard.",
        StatusCodes.Status403Forbidden => "This is not allowed.",
        StatusCodes.Status404NotFound => "There is nothing at this address.",
        StatusCodes.Status405MethodNotAllowed => "This address does not take that method.",
        StatusCodes.Status413PayloadTooLarge => $"The request body is larger than {ApiHosting.MaxRequestBodyBytes} bytes.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON, with 'Content-Type: application/json'.",
        StatusCodes.Status429TooManyRequests => "Too many requests; wait before trying again.",
        _ => null,
    };
}
