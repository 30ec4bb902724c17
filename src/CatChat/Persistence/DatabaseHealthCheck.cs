using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CatChat.Persistence;

/// <summary>
/// Whether the database answers a read of the history table. Runs on the thread pool, never on the chat's
/// path; the check's registration bounds how long a health request waits for it. A singleton, so however
/// often health is asked while the database hangs, at most one probe is out waiting for it.
/// </summary>
internal sealed class DatabaseHealthCheck(Func<CatChatDbContext> createContext) : IHealthCheck
{
    private readonly Lock _gate = new();
    private Task? _probe;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        Task probe;
        lock (_gate)
        {
            if (_probe is null || _probe.IsCompleted)
            {
                _probe = Task.Run(ProbeAsync, CancellationToken.None);
            }

            probe = _probe;
        }

        try
        {
            // A timeout cancels the wait, not the probe: the health service reports it as a timeout.
            await probe.WaitAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException or IOException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The database is unavailable: " + ex.GetBaseException().Message);
        }
    }

    private async Task ProbeAsync()
    {
        // A read of the real table, not just a connection: an SQLite file that was replaced by an empty one opens fine.
        await using var db = createContext();
        await db.History.AsNoTracking().Select(h => h.Id).Take(1).ToListAsync().ConfigureAwait(false);
    }
}
