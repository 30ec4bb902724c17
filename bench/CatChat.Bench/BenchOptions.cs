using System.Globalization;
using CatChat.Bench.Scenarios;
using CatChat.Bench.Targets;

namespace CatChat.Bench;

/// <summary>The command line: a scenario (or <c>report</c>) and its options; lists are comma-separated.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: CatChat.Bench fanout|rooms|idle|connect|irc|irc-idle [options]
               CatChat.Bench report --results FILE.jsonl [--out DIR]

          irc and irc-idle are fanout and idle on IRC servers (one channel; clients register with NICK/USER, JOIN
          once welcomed, senders PRIVMSG it); their targets are catchat-irc, inspircd and ngircd (the default).

          --target T          catchat, redis, catchat@host:port, redis@host:port, catchat:epoll, catchat:io_uring,
                              catchat*K (K nodes), catchat=LABEL:PATH (another build: its CatChat.dll or executable,
                              reported as catchat=LABEL); repeat or comma-separate
                              catchat-irc, inspircd, ngircd (irc, irc-idle; also KIND@host:port, catchat-irc=LABEL:PATH)
                              (default: catchat,redis, or the three IRC servers; runs interleave the targets)
          --clients N,...     receiving clients (fanout, idle; default 100); for connect: parallel workers (default 16)
          --senders S         sending clients (default 10); rooms: in all, client k sending in room k mod R (default one per room)
          --rooms R,...       rooms: how many rooms (default 100)
          --members M,...     rooms: members of each room (default 10); N = R × M
          --size B,...        message text in bytes, without line ending or framing (default 64; 40 at least)
          --rate R,...        total messages/s over all senders; 0 = closed loop (default 0)
          --window W          closed loop: messages per sender not yet at every receiver (default 32)
          --warmup SECONDS    not measured (default 2)
          --measure SECONDS   measured period (default 5)
          --repeat K          repeats of each point (default 1)
          --results FILE      JSON lines appended here (default bench/results/<time>/results.jsonl)
          --markdown FILE     also write the Markdown table of the whole results file
          --pin-server CPU    run servers this tool starts under taskset -c CPU
          --pin-loadgen CPU   pin this process to CPU
          --server-pid PID    the process of a catchat@/redis@ target, for CPU and memory figures
          --connect-parallel K  connections opened at once while setting up (default 64)
          --no-build          use the existing Release build of src/CatChat
          --out DIR           report: where the Markdown and PNG charts go (default: beside the results)
        """;

    public string Command { get; init; } = "";

    public IReadOnlyList<TargetSpec> Targets { get; init; } = [TargetSpec.Parse("catchat"), TargetSpec.Parse("redis")];

    /// <summary>The irc and irc-idle scenarios' default targets: CatChat's IRC port first, then the servers users would pick.</summary>
    public static IReadOnlyList<TargetSpec> IrcTargets { get; } = [TargetSpec.Parse("catchat-irc"), TargetSpec.Parse("inspircd"), TargetSpec.Parse("ngircd")];

    public IReadOnlyList<int> Clients { get; init; } = [];

    public IReadOnlyList<int> Sizes { get; init; } = [64];

    /// <summary>The rooms scenario's room counts and members per room; each pair is a point.</summary>
    public IReadOnlyList<int> Rooms { get; init; } = [100];

    public IReadOnlyList<int> Members { get; init; } = [10];

    /// <summary>The rooms scenario's senders in all; null: one per room.</summary>
    public int? RoomSenders { get; init; }

    public IReadOnlyList<double> Rates { get; init; } = [0];

    public int Repeat { get; init; } = 1;

    public string? Results { get; init; }

    public string? Markdown { get; init; }

    public string? Out { get; init; }

    public int? ServerPid { get; init; }

    public int? PinLoadgen { get; init; }

    public bool Build { get; init; } = true;

    public ScenarioSettings Settings { get; init; } = new();

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("fanout" or "rooms" or "idle" or "connect" or "irc" or "irc-idle" or "report"))
        {
            throw new ArgumentException("name a scenario: fanout, rooms, idle, connect, irc, irc-idle or report");
        }

        var options = new BenchOptions { Command = args[0] };
        var settings = new ScenarioSettings();
        List<TargetSpec>? targets = null;
        for (var i = 1; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--no-build")
            {
                options = options with { Build = false };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value");
            }

            var value = args[++i];
            switch (name)
            {
                case "--target":
                    targets ??= [];
                    targets.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(TargetSpec.Parse));
                    break;
                case "--clients" or "-n":
                    options = options with { Clients = List(value, int.Parse) };
                    break;
                case "--senders":
                    settings = settings with { Senders = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) };
                    options = options with { RoomSenders = settings.Senders };
                    break;
                case "--rooms":
                    options = options with { Rooms = List(value, int.Parse) };
                    break;
                case "--members":
                    options = options with { Members = List(value, int.Parse) };
                    break;
                case "--size":
                    options = options with { Sizes = List(value, int.Parse) };
                    break;
                case "--rate":
                    options = options with { Rates = List(value, double.Parse) };
                    break;
                case "--window":
                    settings = settings with { Window = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) };
                    break;
                case "--warmup":
                    settings = settings with { Warmup = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) };
                    break;
                case "--measure":
                    settings = settings with { Measure = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) };
                    break;
                case "--repeat":
                    options = options with { Repeat = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) };
                    break;
                case "--results":
                    options = options with { Results = value };
                    break;
                case "--markdown":
                    options = options with { Markdown = value };
                    break;
                case "--out":
                    options = options with { Out = value };
                    break;
                case "--pin-server":
                    settings = settings with { PinServer = int.Parse(value, CultureInfo.InvariantCulture) };
                    break;
                case "--pin-loadgen":
                    settings = settings with { PinLoadgen = int.Parse(value, CultureInfo.InvariantCulture) };
                    options = options with { PinLoadgen = settings.PinLoadgen };
                    break;
                case "--server-pid":
                    options = options with { ServerPid = int.Parse(value, CultureInfo.InvariantCulture) };
                    break;
                case "--connect-parallel":
                    settings = settings with { ConnectParallelism = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) };
                    break;
                case "--max-per-process": // not in the usage: it only tests the idle scenario's spread over processes
                    settings = settings with { MaxClientsPerProcess = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) };
                    break;
                default:
                    throw new ArgumentException($"unknown option {name}");
            }
        }

        if (options.Sizes.Any(s => s < Wire.BenchPayload.HeaderLength))
        {
            throw new ArgumentException($"--size must be at least {Wire.BenchPayload.HeaderLength}");
        }

        if (settings.Senders >= Wire.BenchPayload.MaxSenders)
        {
            throw new ArgumentException($"--senders must be below {Wire.BenchPayload.MaxSenders}");
        }

        if (options.Command == "rooms")
        {
            // Each layout is checked now (positive counts, senders within the clients), not halfway through a matrix.
            _ = options.RoomLayouts().ToList();
        }

        var clients = options.Clients.Count > 0 ? options.Clients : options.Command == "connect" ? [16] : [100];
        if (options.Command == "connect")
        {
            settings = settings with { ConnectWorkers = clients.Max() };
        }

        var irc = options.Command is "irc" or "irc-idle";
        var chosen = targets ?? (irc ? IrcTargets : options.Targets);
        if (options.Command != "report" && chosen.FirstOrDefault(t => t.IsIrc != irc) is { } misplaced)
        {
            throw new ArgumentException(irc
                ? $"{options.Command} runs on IRC servers only (catchat-irc, inspircd, ngircd), not {misplaced}"
                : $"{misplaced} is an IRC server: run it with irc or irc-idle");
        }

        return options with { Clients = clients, Targets = chosen, Settings = settings };
    }

    /// <summary>The rooms scenario's points: every room count with every member count.</summary>
    public IEnumerable<RoomLayout> RoomLayouts() =>
        from rooms in Rooms
        from members in Members
        select new RoomLayout(rooms, members, RoomSenders ?? rooms);

    private static int Positive(string name, int value) => value > 0 ? value : throw new ArgumentException($"{name} must be positive");

    private static IReadOnlyList<T> List<T>(string value, Func<string, IFormatProvider, T> parse) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => parse(v.Trim().Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture))];
}
