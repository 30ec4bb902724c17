using System.Globalization;
using CatChat.Bench.Reporting;
using CatChat.Bench.Scenarios;
using CatChat.Bench.Targets;
using CatChat.Bench.Wire;
using Microsoft.Extensions.Logging;

namespace CatChat.Bench;

/// <summary>
/// The load generator's entry point: parse, pin, run the matrix (or the report), write results; or, as a process
/// the idle scenario started, hold clients (<see cref="HoldCommand"/>).
/// </summary>
internal static class BenchProgram
{
    /// <summary>The load generator's setting, never passed on to the servers it starts.</summary>
    internal const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static async Task<int> Main(string[] args)
    {
        // Run receive continuations on the socket engine's own thread instead of queueing each read to the thread
        // pool: one hop less per read. Read when the first socket is used, so it must be set before any is.
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }

        if (args.Length > 0 && args[0] == HoldOptions.Command)
        {
            return await HoldAsync(args);
        }

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync("CatChat.Bench: " + ex.Message + "\n\n" + BenchOptions.Usage);
            return 2;
        }

        using var logging = LoggerFactory.Create(builder => builder.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        }).AddFilter(level => level >= LogLevel.Information));
        var logger = logging.CreateLogger("CatChat.Bench");
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        if (options.Command == "report")
        {
            return Report(options, logger);
        }

        if (options.PinLoadgen is { } cpu && OperatingSystem.IsLinux())
        {
            LoadgenAffinity.Pin(cpu);
            BenchLog.Pinned(logger, cpu);
        }

        // Made here, after pinning: its thread inherits this thread's CPU mask.
        BenchLog.Receiving(logger, UringReceiver.Shared is not null
            ? "io_uring (multishot receives, one thread)"
            : $"Socket.ReceiveAsync (io_uring: {UringReceiver.Unavailable})");

        var resultsPath = options.Results ?? Path.Combine(
            CatChatBuild.RepositoryRoot, "bench", "results", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture), "results.jsonl");
        try
        {
            await MatrixRunner.RunAsync(options, resultsPath, logger, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return 130;
        }

        BenchLog.ResultsWritten(logger, resultsPath);
        if (options.Markdown is { } markdown)
        {
            File.WriteAllText(markdown, MarkdownReport.Write(ResultsFile.Read(resultsPath)));
            BenchLog.FileWritten(logger, markdown);
        }

        return 0;
    }

    // A load-generator process the idle scenario started to hold some of its clients: no logging, its output is the protocol.
    private static async Task<int> HoldAsync(string[] args)
    {
        HoldOptions options;
        try
        {
            options = HoldOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync("CatChat.Bench hold: " + ex.Message);
            return 2;
        }

        return await HoldCommand.RunAsync(options);
    }

    private static int Report(BenchOptions options, ILogger logger)
    {
        if (options.Results is null || !File.Exists(options.Results))
        {
            Console.Error.WriteLine("CatChat.Bench report: --results FILE.jsonl is required and must exist");
            return 2;
        }

        var results = ResultsFile.Read(options.Results);
        var directory = options.Out ?? Path.GetDirectoryName(Path.GetFullPath(options.Results))!;
        Directory.CreateDirectory(directory);
        var markdown = Path.Combine(directory, "results.md");
        File.WriteAllText(markdown, MarkdownReport.Write(results));
        BenchLog.FileWritten(logger, markdown);
        foreach (var chart in ChartWriter.Write(results, directory))
        {
            BenchLog.FileWritten(logger, chart);
        }

        return 0;
    }
}
