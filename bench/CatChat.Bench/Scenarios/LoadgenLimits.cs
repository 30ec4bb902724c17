using CatChat.Bench.Measurement;
using CatChat.Bench.Targets;

namespace CatChat.Bench.Scenarios;

/// <summary>
/// Open-files limits: every client is a descriptor here, and one at the server. The .NET runtime raises its soft
/// limit to the hard one at start, but the hard limit itself may be fixed (no CAP_SYS_RESOURCE): a run that cannot
/// fit is reported as an error instead of failing half-way.
/// </summary>
internal static class LoadgenLimits
{
    private const int Reserve = 64;

    /// <summary>Clients this process can still open (its open-files limit less what is open and a reserve); null when unlimited.</summary>
    public static long? ClientsPerProcess()
    {
        var limit = ProcessStats.OpenFilesLimit(Environment.ProcessId);
        return limit is null ? null : limit.Value - ProcessStats.OpenFiles(Environment.ProcessId) - Reserve;
    }

    public static string? CheckOwn(int connections)
    {
        var limit = ProcessStats.OpenFilesLimit(Environment.ProcessId);
        if (limit is null)
        {
            return null;
        }

        var available = ClientsPerProcess();
        return connections > available
            ? $"{connections} connections exceed the load generator's open-files limit ({limit}, about {available} free); raise ulimit -n (the hard limit caps it)"
            : null;
    }

    /// <summary>Refuses a run the server cannot hold, for targets whose connections are capped (<see cref="BenchTarget.ConnectionLimit"/>).</summary>
    public static string? CheckServer(BenchTarget target, int connections)
    {
        var limit = target.ConnectionLimit;
        return limit is { } allowed && connections > allowed
            ? $"{connections} connections exceed what {target.Name}'s open-files limit allows (about {allowed})"
            : null;
    }
}
