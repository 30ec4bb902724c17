using System.Globalization;
using CatChat.Bench.Targets;

namespace CatChat.Bench.Scenarios;

/// <summary>
/// A load-generator process holding its share of the idle scenario's clients, for an N no one process's open-files
/// limit allows. It speaks to the idle scenario (<see cref="HolderProcess"/>) in lines: "hold waiting" once started;
/// on "go" it connects its clients and says "hold ready CONNECTED FAILED [first failure]"; it holds them until
/// "quit" or the end of its input, says "hold done DISCONNECTED" and exits. A problem that stops it: "hold error TEXT".
/// </summary>
internal static class HoldCommand
{
    public const string Prefix = "hold ";
    public const string Waiting = "waiting";
    public const string Ready = "ready";
    public const string Done = "done";
    public const string Error = "error";
    public const string Go = "go";
    public const string Quit = "quit";

    // Per client, connect and join: a server that stops accepting must not keep the clients waiting for ever.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(HoldOptions options)
    {
        try
        {
            return await HoldAsync(options);
        }
        catch (Exception ex)
        {
            Say(Error, ex.GetType().Name + ": " + ex.Message);
            return 1;
        }
    }

    private static async Task<int> HoldAsync(HoldOptions options)
    {
        if (options.PinLoadgen is { } cpu && OperatingSystem.IsLinux())
        {
            LoadgenAffinity.Pin(cpu);
        }

        if (LoadgenLimits.CheckOwn(options.Count) is { } limit)
        {
            Say(Error, limit);
            return 1;
        }

        // A server already running: starting the target only sets its address.
        await using var target = options.Target.Create(new TargetOptions(Build: false, PinServer: null), externalPid: null);
        await target.StartAsync(options.Count, CancellationToken.None);
        using var input = new StreamReader(Console.OpenStandardInput());
        Say(Waiting);
        if (await input.ReadLineAsync() != Go)
        {
            return 0; // the run ended before it needed these clients
        }

        var (clients, failure) = await Connector.ConnectUntilFailureAsync(
            options.Count, options.ConnectParallelism, ConnectTimeout, (i, token) => BenchClient.ConnectAsync(
                target.EndPoint, Connector.SourceFor(options.First + i, options.All, target.EndPoint), target.Parser, target.JoinRequest,
                waitForReady: true, run: null, ownSender: -1, token), CancellationToken.None);
        try
        {
            Say(Ready, string.Create(CultureInfo.InvariantCulture, $"{clients.Length} {options.Count - clients.Length}") + (failure is null ? "" : " " + failure));
            while (await input.ReadLineAsync() is { } line && line != Quit)
            {
                // Nothing else is said to a holder.
            }

            Say(Done, clients.Count(c => c.Failure is not null).ToString(CultureInfo.InvariantCulture));
            return 0;
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static void Say(string word, string? rest = null) =>
        Console.Out.WriteLine(Prefix + word + (rest is null ? "" : " " + rest.ReplaceLineEndings(" ")));
}
