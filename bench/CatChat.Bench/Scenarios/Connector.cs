using System.Globalization;
using System.Net;

namespace CatChat.Bench.Scenarios;

/// <summary>
/// Opens many clients in bounded parallel batches (servers have an accept backlog), and spreads them over several
/// 127.0.0.x source addresses when there are more than one source address has ephemeral ports for.
/// </summary>
internal static class Connector
{
    private static readonly int PortsPerSource = EphemeralPorts() - 1000;

    public static async Task<BenchClient[]> ConnectManyAsync(
        int count, int parallelism, Func<int, CancellationToken, Task<BenchClient>> connect, CancellationToken cancellationToken)
    {
        var clients = new BenchClient?[count];
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, count),
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                async (i, token) => clients[i] = await connect(i, token));
        }
        catch
        {
            foreach (var client in clients)
            {
                client?.Dispose();
            }

            throw;
        }

        return clients!;
    }

    /// <summary>
    /// Like <see cref="ConnectManyAsync"/>, but a failure does not throw: it stops the clients not yet connected
    /// (against a server that has stopped accepting, each would wait out <paramref name="timeout"/>) and the
    /// clients connected so far are returned with what went wrong first. Each client gets <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(BenchClient[] Clients, string? FirstFailure)> ConnectUntilFailureAsync(
        int count, int parallelism, TimeSpan timeout, Func<int, CancellationToken, Task<BenchClient>> connect, CancellationToken cancellationToken)
    {
        var clients = new BenchClient?[count];
        string? firstFailure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, count),
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = stop.Token },
                async (i, token) =>
                {
                    using var bounded = CancellationTokenSource.CreateLinkedTokenSource(token);
                    bounded.CancelAfter(timeout);
                    try
                    {
                        clients[i] = await connect(i, bounded.Token);
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        var failure = ex is OperationCanceledException or TimeoutException
                            ? $"not connected and taken in within {timeout.TotalSeconds:0} s"
                            : ex.GetType().Name + ": " + ex.Message;
                        if (Interlocked.CompareExchange(ref firstFailure, failure, null) is null)
                        {
                            await stop.CancelAsync();
                        }
                    }
                });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Stopped by the first failure.
        }
        catch
        {
            foreach (var client in clients)
            {
                client?.Dispose();
            }

            throw;
        }

        return ([.. clients.OfType<BenchClient>()], firstFailure);
    }

    /// <summary>The source address for client <paramref name="index"/> of <paramref name="count"/>; null to let the kernel choose.</summary>
    public static IPAddress? SourceFor(int index, int count, IPEndPoint server)
    {
        var bytes = server.Address.GetAddressBytes();
        if (count <= PortsPerSource || bytes.Length != 4 || bytes[0] != 127)
        {
            return null;
        }

        return new IPAddress([127, 0, 0, (byte)(1 + (index / PortsPerSource))]);
    }

    private static int EphemeralPorts()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[1], CultureInfo.InvariantCulture) - int.Parse(range[0], CultureInfo.InvariantCulture) + 1;
        }
        catch (IOException)
        {
            return 28232; // Linux's default range, 32768-60999
        }
    }
}
