using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace CatChat.Testing;

/// <summary>
/// A throwaway redis-server on a free loopback port, with nothing saved to disk. It can be stopped (killed
/// by its process id) and started again on the same port, as when Redis fails and comes back.
/// scripts/install-deps.sh installs redis-server.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string[] _extraArguments;
    private Process? _process;

    private RedisServer(string[] extraArguments) => _extraArguments = extraArguments;

    public int Port { get; } = FreePort.Next();

    /// <summary>The value of <c>--redis</c> for CatChat.</summary>
    public string Address => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts one; <paramref name="extraArguments"/> are redis-server's own (a cluster node's, say).</summary>
    public static async Task<RedisServer> StartAsync(params string[] extraArguments)
    {
        var server = new RedisServer(extraArguments);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>A port for a Redis that is not running yet; <see cref="StartAgainAsync"/> starts it.</summary>
    public static RedisServer NotStarted() => new([]);

    /// <summary>Starts redis-server and waits until it says it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--loglevel", "notice", .. _extraArguments,
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var ready = Channel.CreateUnbounded<string>();
        var process = Process.Start(info) ?? throw new InvalidOperationException("Cannot start redis-server (run scripts/install-deps.sh)");
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                ready.Writer.TryComplete();
            }
            else
            {
                ready.Writer.TryWrite(line.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var seen = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var line in ready.Reader.ReadAllAsync(timeout.Token))
        {
            seen.Add(line);
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                return;
            }
        }

        throw new InvalidOperationException("redis-server did not start:\n" + string.Join("\n", seen));
    }

    /// <summary>Kills redis-server (SIGKILL, by its process id) and waits until it has gone.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        _process.Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
