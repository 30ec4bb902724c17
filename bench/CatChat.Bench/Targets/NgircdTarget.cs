using System.Net;
using System.Text;

namespace CatChat.Bench.Targets;

/// <summary>
/// ngIRCd (Debian's <c>ngircd</c>), started with bench/irc-servers/ngircd.conf: no limit on connections or on
/// connections per address. ngIRCd reads at most a few commands a second from a client and has no setting to lift
/// that (26.1): only user mode +F, which only an IRC operator may set. So each sender opers up and sets +F on itself
/// before it joins, and is then unthrottled as Redis's publishers are.
/// </summary>
internal sealed class NgircdTarget(TargetOptions options, IPEndPoint? external, int? externalPid) : IrcTarget(external, externalPid)
{
    /// <summary>The operator in ngircd.conf (loopback only; the server lives as long as one run).</summary>
    public const string Operator = "bench";

    public override string Name => "ngircd";

    protected override int? PinServer => options.PinServer;

    public override ReadOnlyMemory<byte> WelcomeReply(int client, bool sender) => !sender
        ? base.WelcomeReply(client, sender)
        : Encoding.ASCII.GetBytes($"OPER {Operator} {Operator}\r\nMODE {Nick(client)} +F\r\nJOIN {Channel}\r\n");

    protected override (string Program, IReadOnlyList<string> Arguments) Command(string directory, int port) =>
        ("ngircd", ["--nodaemon", "--config", WriteConfig("ngircd.conf", directory, port)]);
}
