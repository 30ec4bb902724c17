using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CatChat.Persistence;

/// <summary>Whether the history writer is storing its lines, or retrying a batch the database refused.</summary>
internal sealed class HistoryWriterHealthCheck(HistoryWriter writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var result = writer.Failing is { } failing
            ? new HealthCheckResult(
                context.Registration.FailureStatus,
                $"History writes have been failing since {failing.Since.ToString("O", CultureInfo.InvariantCulture)} ({failing.Attempts} attempts; "
                + $"{writer.Queued.ToString(CultureInfo.InvariantCulture)} lines wait): {failing.Reason}")
            : HealthCheckResult.Healthy("History lines are being stored.");
        return Task.FromResult(result);
    }
}
