using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CatChat.Bench.Targets;

namespace CatChat.Bench.Scenarios;

/// <summary>
/// The idle scenario's side of a <c>hold</c> process (<see cref="HoldCommand"/>): this tool started again, spoken
/// to over its standard input and output. Every wait is bounded; disposing ends the process.
/// </summary>
internal sealed class HolderProcess : IDisposable
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _errors = new();

    private HolderProcess(Process process) => _process = process;

    public static HolderProcess Start(BenchTarget target, int first, int count, int all, int parallelism, int? pinCpu)
    {
        var (program, prefix) = OwnCommand();
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] arguments =
        [
            .. prefix, HoldOptions.Command, "--target", $"{target.Kind}@{target.EndPoint}",
            "--first", Text(first), "--count", Text(count), "--all", Text(all), "--connect-parallel", Text(parallelism),
            .. pinCpu is { } cpu ? new[] { "--pin-loadgen", Text(cpu) } : [],
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var holder = new HolderProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start a load-generator process"));
        holder._process.ErrorDataReceived += (_, e) => holder.KeepError(e.Data);
        holder._process.BeginErrorReadLine();
        return holder;
    }

    public Task WaitUntilWaitingAsync(CancellationToken cancellationToken) => ExpectAsync(HoldCommand.Waiting, ShortTimeout, cancellationToken);

    public void Go() => Tell(HoldCommand.Go);

    /// <summary>Its clients connected and joined (or how many failed, and why the first did).</summary>
    public async Task<(int Connected, int Failed, string? FirstFailure)> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var words = (await ExpectAsync(HoldCommand.Ready, timeout, cancellationToken)).Split(' ', 3);
        return (int.Parse(words[0], CultureInfo.InvariantCulture), int.Parse(words[1], CultureInfo.InvariantCulture), words.Length > 2 ? words[2] : null);
    }

    /// <summary>Lets its clients go; returns how many the server had disconnected meanwhile.</summary>
    public async Task<int> QuitAsync(CancellationToken cancellationToken)
    {
        Tell(HoldCommand.Quit);
        return int.Parse(await ExpectAsync(HoldCommand.Done, ShortTimeout, cancellationToken), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close(); // the end of its input: it lets its clients go and exits
                if (!_process.WaitForExit(10_000))
                {
                    _process.Kill();
                    _process.WaitForExit(10_000);
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            // It has exited already.
        }

        _process.Dispose();
    }

    // This tool again: its own apphost when it runs as one, else the host running its dll (dotnet, or a test host).
    private static (string Program, string[] Prefix) OwnCommand()
    {
        var dll = typeof(HolderProcess).Assembly.Location;
        var host = Environment.ProcessPath;
        if (host is not null && Path.GetFileNameWithoutExtension(host) == Path.GetFileNameWithoutExtension(dll))
        {
            return (host, []);
        }

        return (host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet", [dll]);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private void Tell(string line)
    {
        try
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
        }
        catch (IOException)
        {
            // It has ended: waiting for its answer says so, with its last words.
        }
    }

    /// <summary>What the process says next after "hold WORD"; skips lines that are not the protocol's.</summary>
    private async Task<string> ExpectAsync(string word, TimeSpan timeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line;
            try
            {
                line = await _process.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"load-generator process {_process.Id} did not say \"{word}\" within {timeout.TotalSeconds:0} s{ErrorTail()}");
            }

            if (line is null)
            {
                throw new InvalidOperationException($"load-generator process {_process.Id} ended before saying \"{word}\"{ErrorTail()}");
            }

            if (!line.StartsWith(HoldCommand.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var said = line[HoldCommand.Prefix.Length..];
            var space = said.IndexOf(' ', StringComparison.Ordinal);
            var (saidWord, rest) = space < 0 ? (said, "") : (said[..space], said[(space + 1)..]);
            if (saidWord == word)
            {
                return rest;
            }

            throw new InvalidOperationException(saidWord == HoldCommand.Error
                ? $"load-generator process {_process.Id}: {rest}"
                : $"load-generator process {_process.Id} said \"{said}\", expected \"{word}\"");
        }
    }

    private void KeepError(string? line)
    {
        if (line is null)
        {
            return;
        }

        _errors.Enqueue(line);
        while (_errors.Count > 10 && _errors.TryDequeue(out _))
        {
            // Only the last lines say why it ended.
        }
    }

    private string ErrorTail() => _errors.IsEmpty ? "" : ":\n" + string.Join('\n', _errors);
}
