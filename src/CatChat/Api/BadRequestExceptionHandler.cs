using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace CatChat.Api;

/// <summary>
/// Turns a request the framework could not read (malformed JSON, wrong content type, a body over the
/// size limit) into a problem+json answer with the status it deserves and a message saying why.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        var detail = bad.InnerException is { } inner ? $"{bad.Message} {inner.Message}" : bad.Message;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = ReasonPhrases.GetReasonPhrase(bad.StatusCode),
                Detail = detail,
            },
        });
    }
}
