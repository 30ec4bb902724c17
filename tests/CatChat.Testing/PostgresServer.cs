using System.Diagnostics;
using System.Globalization;

namespace CatChat.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb in a temporary directory, a free loopback port, trust
/// authentication, stopped and deleted afterwards. Runs as the postgres user when the tests run as root
/// (initdb refuses root). scripts/install-deps.sh installs the server.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static readonly string BinDirectory = Directory.GetDirectories("/usr/lib/postgresql")
        .Select(dir => Path.Combine(dir, "bin"))
        .Where(dir => File.Exists(Path.Combine(dir, "initdb")))
        .OrderByDescending(dir => dir, StringComparer.Ordinal)
        .FirstOrDefault() ?? throw new InvalidOperationException("PostgreSQL is not installed (run scripts/install-deps.sh)");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "catchat-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private int _databases;

    public int Port { get; } = FreePort.Next();

    /// <summary>A connection string to a new, empty database on this cluster.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "catchat_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture);
        await RunAsync("createdb", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", name);
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Timeout=5;Command Timeout=5";
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        if (Environment.UserName == "root")
        {
            await RunAsync("/bin/chown", "postgres:postgres", _directory);
        }

        await RunAsync("initdb", "-D", Path.Combine(_directory, "data"), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8");
        await StartAsync();
    }

    public Task StartAsync() => RunAsync(
        "pg_ctl", "-D", Path.Combine(_directory, "data"), "-l", Path.Combine(_directory, "log"), "-w", "-t", "30", "start",
        "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off");

    /// <summary>
    /// Freezes the whole cluster (postmaster and every backend) with SIGSTOP: connections stay open and
    /// queries hang, as on a database host that stopped answering. <see cref="Thaw"/> undoes it.
    /// </summary>
    public void Freeze()
    {
        // The postmaster first, so it starts no new backend meanwhile.
        foreach (var pid in ProcessSignals.Tree(PostmasterId))
        {
            ProcessSignals.Pause(pid);
        }
    }

    public void Thaw()
    {
        foreach (var pid in ProcessSignals.Tree(PostmasterId))
        {
            ProcessSignals.Resume(pid);
        }
    }

    private int PostmasterId => int.Parse(File.ReadLines(Path.Combine(_directory, "data", "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    public Task StopAsync() => RunAsync("pg_ctl", "-D", Path.Combine(_directory, "data"), "-w", "-t", "30", "-m", "fast", "stop");

    public async Task DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var path = program.StartsWith('/') ? program : Path.Combine(BinDirectory, program);
        var asPostgres = Environment.UserName == "root" && !program.StartsWith('/');
        var info = new ProcessStartInfo(asPostgres ? "/usr/sbin/runuser" : path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", path })
            {
                info.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
