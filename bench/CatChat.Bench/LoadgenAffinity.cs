using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;

namespace CatChat.Bench;

/// <summary>
/// Pins this process to one CPU. On Linux, Process.ProcessorAffinity sets the main thread's mask only (new threads
/// inherit it from their creator), so the threads the runtime started before it (tiered compilation, finalizer,
/// console logger) are moved too, with <c>taskset -a</c>.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class LoadgenAffinity
{
    public static void Pin(int cpu)
    {
        Process.GetCurrentProcess().ProcessorAffinity = (nint)(1L << cpu);
        var info = new ProcessStartInfo("taskset") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-a", "-p", "-c", cpu.ToString(CultureInfo.InvariantCulture), Environment.ProcessId.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        using var taskset = Process.Start(info)!;
        taskset.StandardOutput.ReadToEnd();
        var error = taskset.StandardError.ReadToEnd();
        taskset.WaitForExit();
        if (taskset.ExitCode != 0)
        {
            throw new InvalidOperationException($"taskset could not pin the load generator to CPU {cpu}: {error.Trim()}");
        }
    }
}
