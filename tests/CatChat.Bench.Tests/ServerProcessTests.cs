using CatChat.Bench;
using CatChat.Bench.Targets;

namespace CatChat.Bench.Tests;

/// <summary>How the bench starts a server: in the environment it would be deployed in, plus what the target asks for.</summary>
public sealed class ServerProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("catchat-server-process-").FullName;

    [Fact]
    public async Task AServerGetsTheTargetsSettingsButNotTheLoadGeneratorsSocketTuning()
    {
        var before = Environment.GetEnvironmentVariable(BenchProgram.InlineCompletions);
        Environment.SetEnvironmentVariable(BenchProgram.InlineCompletions, "1");
        try
        {
            var log = Path.Combine(_directory, "env.log");
            using var server = ServerProcess.Start("/usr/bin/env", [], pinCpu: null, log, new Dictionary<string, string> { ["CATCHAT_BENCH_MARKER"] = "given" });

            // env prints its environment and exits: once it has, the log holds all of it.
            await server.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            var printed = await File.ReadAllTextAsync(log);

            Assert.Contains("CATCHAT_BENCH_MARKER=given", printed, StringComparison.Ordinal);
            Assert.DoesNotContain(BenchProgram.InlineCompletions, printed, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(BenchProgram.InlineCompletions, before);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
