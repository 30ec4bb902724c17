using System.Globalization;

namespace CatChat.Bench.Measurement;

/// <summary>A process's CPU time and memory as Linux reports them in /proc/PID/stat and /proc/PID/status.</summary>
internal static class ProcessStats
{
    // USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every Linux architecture .NET runs on.
    private const double ClockTicksPerSecond = 100.0;

    /// <summary>User plus system CPU seconds the process has used so far (utime + stime); null when it is gone.</summary>
    public static double? CpuSeconds(int pid)
    {
        var stat = TryRead($"/proc/{pid}/stat");
        if (stat is null)
        {
            return null;
        }

        // The command name may hold spaces and parentheses: fields are counted after its last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / ClockTicksPerSecond;
    }

    /// <summary>Resident memory now (VmRSS), in KiB.</summary>
    public static long? ResidentKib(int pid) => StatusField(pid, "VmRSS:");

    /// <summary>The most resident memory the process has had (VmHWM), in KiB.</summary>
    public static long? PeakResidentKib(int pid) => StatusField(pid, "VmHWM:");

    /// <summary>The soft limit on open files of a process (from /proc/PID/limits); null when unknown or unlimited.</summary>
    public static long? OpenFilesLimit(int pid)
    {
        var limits = TryRead($"/proc/{pid}/limits");
        var line = limits?.Split('\n').FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.TryParse(soft, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>Open file descriptors of a process right now.</summary>
    public static int OpenFiles(int pid)
    {
        try
        {
            return Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static long? StatusField(int pid, string name)
    {
        var status = TryRead($"/proc/{pid}/status");
        var line = status?.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line is null ? null : long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
