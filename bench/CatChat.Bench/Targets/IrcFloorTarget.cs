using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace CatChat.Bench.Targets;

/// <summary>
/// The floor (<c>irc-floor</c>): bench/irc-servers/floor.c, compiled with the machine's <c>cc</c> for each run, which
/// does only what the IRC workload needs and relays each line with no work of its own but the copy, one send() per
/// recipient; <c>irc-floor-uring</c> sends the same through io_uring, all of a batch in one system call, as CatChat's
/// transport does. Not servers anyone would run: they tell how much of a real server's CPU at a fixed rate is the
/// kernel's work on the sends, which no server's own code can save.
/// </summary>
internal sealed class IrcFloorTarget(TargetOptions options, IPEndPoint? external, int? externalPid, bool uring) : IrcTarget(external, externalPid)
{
    public override string Name => uring ? "irc-floor-uring" : "irc-floor";

    protected override int? PinServer => options.PinServer;

    protected override (string Program, IReadOnlyList<string> Arguments) Command(string directory, int port)
    {
        var source = Path.Combine(CatChatBuild.RepositoryRoot, "bench", "irc-servers", "floor.c");
        var program = Path.Combine(directory, "floor");
        var compile = new ProcessStartInfo("cc") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-O2", "-o", program, source })
        {
            compile.ArgumentList.Add(argument);
        }

        using var compiler = Process.Start(compile) ?? throw new InvalidOperationException("could not start cc");
        var errors = compiler.StandardError.ReadToEnd();
        compiler.WaitForExit();
        return compiler.ExitCode == 0
            ? (program, uring ? [port.ToString(CultureInfo.InvariantCulture), "uring"] : [port.ToString(CultureInfo.InvariantCulture)])
            : throw new InvalidOperationException($"cc could not build {source}: {errors}");
    }
}
