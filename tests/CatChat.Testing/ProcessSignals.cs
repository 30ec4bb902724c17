using System.Runtime.InteropServices;

namespace CatChat.Testing;

/// <summary>Sends POSIX signals; Process.Kill only sends SIGKILL.</summary>
public static partial class ProcessSignals
{
    private const int SIGCONT = 18;
    private const int SIGSTOP = 19;
    private const int SIGTERM = 15;

    public static int Terminate(int pid) => Kill(pid, SIGTERM);

    /// <summary>Freezes a process where it stands (it keeps its sockets open but answers nothing).</summary>
    public static int Pause(int pid) => Kill(pid, SIGSTOP);

    public static int Resume(int pid) => Kill(pid, SIGCONT);

    /// <summary>A process and every process below it, parents first.</summary>
    public static IReadOnlyList<int> Tree(int pid)
    {
        var tree = new List<int> { pid };
        for (var i = 0; i < tree.Count; i++)
        {
            var children = Path.Combine("/proc", tree[i].ToString(System.Globalization.CultureInfo.InvariantCulture), "task",
                tree[i].ToString(System.Globalization.CultureInfo.InvariantCulture), "children");
            if (File.Exists(children))
            {
                tree.AddRange(File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(child => int.Parse(child, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return tree;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
