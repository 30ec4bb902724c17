using System.Globalization;

namespace CatChat.Testing;

/// <summary>Reads a TCP socket's row of /proc/net/tcp and /proc/net/tcp6 to see what the kernel sees.</summary>
public static class KernelSocketTable
{
    public sealed record Row(int LocalPort, int RemotePort, int TimerKind);

    /// <summary>Reads the row until <paramref name="settled"/> holds for its timer (bounded: a few seconds).</summary>
    public static async Task<Row> WaitForTimerAsync(int localPort, int remotePort, Func<int, bool> settled)
    {
        var row = await FindAsync(localPort, remotePort);
        for (var attempt = 0; attempt < 100 && !settled(row.TimerKind); attempt++)
        {
            await Task.Delay(50);
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
