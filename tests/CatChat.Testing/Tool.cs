using System.Diagnostics;

namespace CatChat.Testing;

/// <summary>Runs an external checker (promtool, redocly) that the test script installs.</summary>
public static class Tool
{
    /// <summary>The checkout this test run was built from (where CatChat.slnx is).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CatChat.slnx")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("CatChat.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The redocly CLI that scripts/install-deps.sh puts under tests/tools.</summary>
    public static string Redocly => Path.Combine(RepositoryRoot, "tests", "tools", "node_modules", ".bin", "redocly");

    /// <summary>
    /// Where <paramref name="program"/> is on PATH. A test that needs it fails, never skips, when it is missing: the
    /// failure names the script that installs it.
    /// </summary>
    public static string Require(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists)
        ?? throw new Xunit.Sdk.XunitException($"{program} is not installed (run scripts/install-deps.sh)");

    /// <summary>
    /// Runs a tool to its end. Past <paramref name="timeout"/> (two minutes unless given) it is killed with its children,
    /// so a hung build does not go on loading the machine for the tests after it, and the test fails.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {fileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        using var expiry = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(expiry.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in time: {await output}{await error}");
        }

        return (process.ExitCode, await output + await error);
    }
}
