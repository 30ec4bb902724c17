using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CatChat.Bench.Targets;

/// <summary>
/// A server this tool starts: through <c>sh -c 'exec ...'</c>, so the process id is the server's own (for
/// /proc figures) while its output goes straight to a log file, optionally pinned to a CPU with taskset.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
    }

    public int Pid => _process.Id;

    public string LogPath { get; }

    public static ServerProcess Start(string program, IEnumerable<string> arguments, int? pinCpu, string logPath,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var command = new StringBuilder("exec ");
        if (pinCpu is { } cpu)
        {
            command.Append(CultureInfo.InvariantCulture, $"taskset -c {cpu} ");
        }

        command.Append(Quote(program));
        foreach (var argument in arguments)
        {
            command.Append(' ').Append(Quote(argument));
        }

        command.Append(" >").Append(Quote(logPath)).Append(" 2>&1 </dev/null");
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command.ToString());

        // The load generator's own socket tuning is not the server's: a server runs as it would be deployed.
        info.Environment.Remove(BenchProgram.InlineCompletions);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new ServerProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start " + program), logPath);
    }

    /// <summary>Waits until the port accepts a connection; fails with the server's log if it exits first.</summary>
    public async Task WaitUntilListeningAsync(IPEndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode} before listening:\n{LogTail()}");
            }

            using var probe = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(endPoint, cancellationToken);
                return;
            }
            catch (SocketException) when (Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (SocketException ex)
            {
                throw new InvalidOperationException($"the server did not listen on {endPoint} within {timeout.TotalSeconds:0} s ({ex.SocketErrorCode}):\n{LogTail()}");
            }
        }
    }

    public string LogTail()
    {
        try
        {
            var lines = File.ReadAllLines(LogPath);
            return string.Join('\n', lines.TakeLast(20));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>Completes when the server has ended on its own (its log is then complete).</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Ends the server at once: the benchmark is over and its data is thrown away.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
            else
            {
                // Its log goes with its data directory: a server that ended on its own says why here or nowhere.
                Console.Error.WriteLine($"The server (pid {_process.Id}) had ended on its own with code {_process.ExitCode}; its log ended:\n{LogTail()}");
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
