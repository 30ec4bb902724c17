using CatChat.Chat;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CatChat.Api;

/// <summary>
/// <c>/healthz</c>: every check (the database, the history writer), with which one is failing; 200 only when
/// all are healthy, 503 otherwise. <c>/healthz/live</c>: the process answers, nothing else is looked at, so a
/// supervisor never restarts a chat that works because its database is away.
/// </summary>
internal static class HealthApi
{
    public static void MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", GetHealthAsync)
            .WithName("GetHealth")
            .WithSummary("Health of every part, with details: 200 when all are healthy, 503 when any is degraded or unhealthy. Answers within a few seconds even when the database hangs.")
            .Produces<HealthResponse>()
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);

        app.MapGet("/healthz/live", (ChatRoom room) => TypedResults.Ok(new LivenessResponse(Name(HealthStatus.Healthy), room.Count)))
            .WithName("GetLiveness")
            .WithSummary("Liveness: answers while the process runs; checks nothing else.");
    }

    private static async Task<IResult> GetHealthAsync(HealthCheckService health, ChatRoom room, CancellationToken cancel)
    {
        var report = await health.CheckHealthAsync(cancel);
        var checks = report.Entries.ToDictionary(
            entry => entry.Key,
            entry => new HealthCheckEntry(Name(entry.Value.Status), entry.Value.Description, Math.Round(entry.Value.Duration.TotalMilliseconds, 1)));
        var response = new HealthResponse(Name(report.Status), room.Count, checks);
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok(response)
            : TypedResults.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}

/// <summary><c>GET /healthz</c>: overall status (<c>healthy</c>, <c>degraded</c>, <c>unhealthy</c>), chat users, and each check.</summary>
public sealed record HealthResponse(string Status, int Users, IReadOnlyDictionary<string, HealthCheckEntry> Checks);

/// <summary>One check of <c>/healthz</c>: its status, what it found, and how long it took.</summary>
public sealed record HealthCheckEntry(string Status, string? Description, double DurationMs);

/// <summary><c>GET /healthz/live</c>.</summary>
public sealed record LivenessResponse(string Status, int Users);
