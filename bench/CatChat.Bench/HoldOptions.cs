using System.Globalization;
using CatChat.Bench.Targets;

namespace CatChat.Bench;

/// <summary>
/// The command line of <c>hold</c>, the hidden command of a load-generator process the idle scenario starts to hold
/// its share of the clients: <c>hold --target KIND@HOST:PORT --first I --count K --all ALL [--connect-parallel P]
/// [--pin-loadgen CPU]</c>. Client numbers run over the whole run (<c>--all</c>), so source addresses are chosen as
/// they would be in one process.
/// </summary>
internal sealed record HoldOptions(TargetSpec Target, int First, int Count, int All, int ConnectParallelism, int? PinLoadgen)
{
    public const string Command = "hold";

    public static HoldOptions Parse(string[] args)
    {
        TargetSpec? target = null;
        int? first = null, count = null, all = null, pin = null;
        var parallelism = 64;
        for (var i = 1; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{args[i]} needs a value");
            }

            var value = args[i + 1];
            switch (args[i])
            {
                case "--target":
                    target = TargetSpec.Parse(value);
                    break;
                case "--first":
                    first = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--count":
                    count = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--all":
                    all = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--connect-parallel":
                    parallelism = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--pin-loadgen":
                    pin = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        if (target?.External is null || first is not >= 0 || count is not > 0 || all is not { } total || total < first + count || parallelism < 1)
        {
            throw new ArgumentException("usage: hold --target catchat|redis@HOST:PORT --first I --count K --all ALL [--connect-parallel P] [--pin-loadgen CPU]");
        }

        return new HoldOptions(target, first.Value, count.Value, total, parallelism, pin);
    }
}
