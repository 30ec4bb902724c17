using Microsoft.Extensions.Logging;

namespace CatChat.Bench;

/// <summary>The load generator's progress lines, on standard error (results go to files).</summary>
internal static partial class BenchLog
{
    [LoggerMessage(1, LogLevel.Information, "{Scenario} on {Target}: N={N} size={Size} rate={Rate} repeat {Repeat}")]
    public static partial void RunStarting(ILogger logger, string scenario, string target, int n, int size, string rate, int repeat);

    [LoggerMessage(2, LogLevel.Information, "  {Summary}")]
    public static partial void RunFinished(ILogger logger, string summary);

    [LoggerMessage(3, LogLevel.Warning, "  {Target} run failed: {Error}")]
    public static partial void RunFailed(ILogger logger, string target, string error);

    [LoggerMessage(4, LogLevel.Information, "Results appended to {Path}")]
    public static partial void ResultsWritten(ILogger logger, string path);

    [LoggerMessage(5, LogLevel.Information, "Wrote {Path}")]
    public static partial void FileWritten(ILogger logger, string path);

    [LoggerMessage(6, LogLevel.Information, "Load generator pinned to CPU {Cpu}")]
    public static partial void Pinned(ILogger logger, int cpu);

    [LoggerMessage(7, LogLevel.Information, "Receiving with {Engine}")]
    public static partial void Receiving(ILogger logger, string engine);
}
