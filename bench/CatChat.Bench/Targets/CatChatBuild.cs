using System.Diagnostics;

namespace CatChat.Bench.Targets;

/// <summary>Finds the repository and builds CatChat in Release once per run of this tool.</summary>
internal static class CatChatBuild
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _built;

    /// <summary>The repository's root: the nearest directory above the working directory or this tool holding CatChat.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static string DllPath => Path.Combine(RepositoryRoot, "src", "CatChat", "bin", "Release", "net10.0", "CatChat.dll");

    /// <summary>Builds unless told not to (then the Release build must already be there); returns the dll's path.</summary>
    public static async Task<string> EnsureBuiltAsync(bool build, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (_built is not null)
            {
                return _built;
            }

            if (build)
            {
                var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var argument in new[] { "build", "-c", "Release", Path.Combine(RepositoryRoot, "src", "CatChat"), "-v", "q", "-nologo" })
                {
                    info.ArgumentList.Add(argument);
                }

                using var process = Process.Start(info)!;
                var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
                var error = process.StandardError.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken);
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"dotnet build -c Release src/CatChat failed:\n{await output}{await error}");
                }
            }

            if (!File.Exists(DllPath))
            {
                throw new InvalidOperationException($"no Release build of CatChat at {DllPath} (run without --no-build)");
            }

            _built = DllPath;
            return _built;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CatChat.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
