using System.Diagnostics;
using System.Globalization;

namespace CatChat.Testing;

/// <summary>Reads a TCP socket's row of /proc/net/tcp and /proc/net/tcp6 to see what the kernel sees.</summary>
public static class KernelSocketTable
{
    public sealed record Row(int LocalPort, int RemotePort, int TimerKind);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reads the row until <paramref name="settled"/> holds for its timer, and returns it. The kernel tells nobody when
    /// a socket's timer changes (an ACK arrives, a retransmission ends), so this looks again every 50 ms; after 5 s it
    /// fails, naming the socket, the timer it still shows and what it waited for (<paramref name="what"/>).
    /// </summary>
    public static async Task<Row> WaitForTimerAsync(int localPort, int remotePort, Func<int, bool> settled, string what)
    {
        var started = Stopwatch.GetTimestamp();
        var row = await FindAsync(localPort, remotePort);
        while (!settled(row.TimerKind))
        {
            if (Stopwatch.GetElapsedTime(started) >= Patience)
            {
                throw new Xunit.Sdk.XunitException(
                    $"The socket {localPort} -> {remotePort} still shows timer {row.TimerKind} in /proc/net/tcp* after {Patience.TotalSeconds:0} s; waited for {what}.");
            }

            await Task.Delay(Interval);
            row = await FindAsync(localPort, remotePort);
        }

        return row;
    }

    public static async Task<Row> FindAsync(int localPort, int remotePort)
    {
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(file))
            {
                continue;
            }

            foreach (var line in (await File.ReadAllLinesAsync(file)).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when ...
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = PortOf(fields[1]);
                var remote = PortOf(fields[2]);
                if (local == localPort && remote == remotePort)
                {
                    var timer = int.Parse(fields[5].Split(':')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    return new Row(local, remote, timer);
                }
            }
        }

        throw new InvalidOperationException($"No socket {localPort} -> {remotePort} in /proc/net/tcp*");
    }

    private static int PortOf(string address) =>
        int.Parse(address[(address.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
