using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CatChat.Testing;

/// <summary>
/// A terminal program (irssi, WeeChat) used as a person uses it: it runs in a detached tmux session, the test types
/// into it (<c>tmux send-keys</c>) and reads its screen (<c>tmux capture-pane</c>). The session has a tmux server of
/// its own, whose socket, configuration and the program's HOME are in a temporary directory, so neither the user's
/// tmux nor the program's real configuration is touched. Disposing kills that server (by its socket, then by process
/// id) and deletes the directory. scripts/install-deps.sh installs tmux.
/// </summary>
public sealed class TmuxSession : IAsyncDisposable
{
    /// <summary>How long <see cref="WaitForAsync(Regex, string)"/> looks before failing.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan LookInterval = TimeSpan.FromMilliseconds(100);

    private const string Name = "main";

    private readonly string _directory;
    private readonly string _socket;
    private readonly int _width;
    private readonly int _height;
    private readonly List<(int Pid, DateTime Started)> _processes = [];
    private bool _started;

    /// <summary>Makes the session's directory; <see cref="StartAsync"/> starts the program.</summary>
    /// <param name="width">The terminal's columns: wide enough that the lines a test looks for are not wrapped.</param>
    /// <param name="height">The terminal's rows.</param>
    public TmuxSession(int width = 200, int height = 50)
    {
        _directory = Directory.CreateTempSubdirectory("catchat-tmux-").FullName;
        _socket = Path.Combine(_directory, "tmux.sock");
        _width = width;
        _height = height;
        Home = Directory.CreateDirectory(Path.Combine(_directory, "home")).FullName;
    }

    /// <summary>The program's HOME (and XDG directories): write its configuration here before starting it.</summary>
    public string Home { get; }

    /// <summary>
    /// Starts <paramref name="program"/> (run directly, no shell) in a new detached session. Its environment is PATH,
    /// HOME, the XDG directories under HOME, a UTF-8 locale and tmux's TERM: nothing else of the test run's.
    /// </summary>
    public async Task StartAsync(string program, params string[] arguments)
    {
        Tool.Require("tmux");
        Tool.Require(program);

        // No status line (the screen is the program's alone); a program that exits leaves its last screen to read.
        var configuration = Path.Combine(_directory, "tmux.conf");
        await File.WriteAllTextAsync(configuration, "set -g status off\nset -g remain-on-exit on\n");
        _started = true;
        await TmuxAsync(
        [
            "-f", configuration, "new-session", "-d", "-s", Name,
            "-x", _width.ToString(CultureInfo.InvariantCulture), "-y", _height.ToString(CultureInfo.InvariantCulture),
            "--", program, .. arguments,
        ]);

        // The server and the program, to be sure they are gone after Dispose even if kill-server is not enough.
        var ids = (await TmuxAsync("display-message", "-p", "-t", Name, "#{pid} #{pane_pid}")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var pid in ids.Select(id => int.Parse(id, CultureInfo.InvariantCulture)))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                _processes.Add((pid, process.StartTime));
            }
            catch (ArgumentException)
            {
                // The program has exited already; its last screen is still there to read.
            }
        }
    }

    /// <summary>Types <paramref name="text"/> as it is (no key names), without pressing Enter.</summary>
    public Task TypeAsync(string text) => TmuxAsync("send-keys", "-t", Name, "-l", "--", text);

    /// <summary>Presses one key by its tmux name: <c>Enter</c>, <c>Escape</c>, <c>C-c</c>.</summary>
    public Task PressAsync(string key) => TmuxAsync("send-keys", "-t", Name, key);

    /// <summary>Types a line and presses Enter.</summary>
    public async Task TypeLineAsync(string line)
    {
        await TypeAsync(line);
        await PressAsync("Enter");
    }

    /// <summary>The text on the screen now, row by row (no colours).</summary>
    public Task<string> CaptureAsync() => TmuxAsync("capture-pane", "-p", "-t", Name);

    /// <summary>Waits until a row of the screen contains <paramref name="text"/>; returns that row.</summary>
    public Task<string> WaitForAsync(string text) => WaitForAsync(new Regex(Regex.Escape(text)), $"\"{text}\"");

    /// <summary>
    /// Looks at the screen every 100 ms until a row matches <paramref name="pattern"/> and returns that row; after
    /// <see cref="Patience"/>, fails showing the screen.
    /// </summary>
    /// <param name="pattern">What the row must match.</param>
    /// <param name="what">What it means, for the failure: "mittens's line".</param>
    public async Task<string> WaitForAsync(Regex pattern, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var screen = await CaptureAsync();
            var row = screen.Split('\n').FirstOrDefault(pattern.IsMatch);
            if (row is not null)
            {
                return row;
            }

            if (Stopwatch.GetElapsedTime(started) >= Patience)
            {
                throw new Xunit.Sdk.XunitException(
                    $"The screen did not show {what} within {Patience.TotalSeconds:0} s; it shows:\n{screen.TrimEnd()}");
            }

            await Task.Delay(LookInterval);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            try
            {
                await TmuxAsync("kill-server");
            }
            catch (Xunit.Sdk.XunitException)
            {
                // Gone already, or not answering: the process ids below settle it.
            }

            foreach (var (pid, started) in _processes)
            {
                KillIfStillRunning(pid, started);
            }
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Kills the process if it is still the one this session started (same id, same start time): kill-server hung
    /// up on it, but a program may outlive its terminal for a while, and nothing of a test may outlive the test.
    /// </summary>
    private static void KillIfStillRunning(int pid, DateTime started)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.StartTime == started)
            {
                process.Kill();
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It has exited.
        }
    }

    /// <summary>Runs one tmux command against this session's own server; fails with tmux's words if tmux does.</summary>
    private async Task<string> TmuxAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("tmux")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The server started by the first command keeps this environment for the program: only what it needs.
        info.Environment.Clear();
        info.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        info.Environment["HOME"] = Home;
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config");
        info.Environment["XDG_DATA_HOME"] = Path.Combine(Home, ".local", "share");
        info.Environment["XDG_STATE_HOME"] = Path.Combine(Home, ".local", "state");
        info.Environment["XDG_CACHE_HOME"] = Path.Combine(Home, ".cache");
        info.Environment["LANG"] = "C.UTF-8";
        foreach (var argument in (string[])["-u", "-S", _socket, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Cannot start tmux");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new Xunit.Sdk.XunitException($"tmux {string.Join(' ', arguments)} did not finish within 10 s");
        }

        if (process.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"tmux {string.Join(' ', arguments)} failed ({process.ExitCode}): {(await error).Trim()}");
        }

        return await output;
    }
}
