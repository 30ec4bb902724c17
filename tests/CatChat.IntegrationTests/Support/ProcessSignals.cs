using System.Runtime.InteropServices;

namespace CatChat.IntegrationTests.Support;

/// <summary>Sends POSIX signals; Process.Kill only sends SIGKILL.</summary>
internal static partial class ProcessSignals
{
    private const int SIGTERM = 15;

    public static int Terminate(int pid) => Kill(pid, SIGTERM);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
