using System.Net;

namespace CatChat.Bench.Targets;

/// <summary>
/// InspIRCd 3 (Debian's <c>inspircd</c>), started with bench/irc-servers/inspircd.conf: one connect class for every
/// client with its flood limits lifted (no fake lag, no command rate, a 64 MiB send queue), as Redis's are.
/// </summary>
internal sealed class InspircdTarget(TargetOptions options, IPEndPoint? external, int? externalPid) : IrcTarget(external, externalPid)
{
    public override string Name => "inspircd";

    protected override int? PinServer => options.PinServer;

    // InspIRCd refuses to run as root unless told to (this machine's tools run as root).
    protected override (string Program, IReadOnlyList<string> Arguments) Command(string directory, int port) =>
        ("inspircd", ["--nofork", .. Environment.IsPrivilegedProcess ? ["--runasroot"] : Array.Empty<string>(), "--config", WriteConfig("inspircd.conf", directory, port)]);
}
