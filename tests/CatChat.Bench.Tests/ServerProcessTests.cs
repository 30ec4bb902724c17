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

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!(File.Exists(log) && (await File.ReadAllTextAsync(log)).Contains("CATCHAT_BENCH_MARKER=given", StringComparison.Ordinal)))
            {
                Assert.True(DateTime.UtcNow < deadline, "env printed nothing within 10 s");
                await Task.Delay(20);
            }

            Assert.DoesNotContain(BenchProgram.InlineCompletions, await File.ReadAllTextAsync(log), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(BenchProgram.InlineCompletions, before);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
