using System.Net;

namespace CatChat.Bench.Targets;

/// <summary>
/// CatChat's IRC front door (<c>--irc-port</c>): CatChat started as <see cref="CatChatTarget"/> starts it, with the same
/// benchmarking settings (flood control off, a 64 MiB send queue, no presence notices), and its clients on the IRC port.
/// </summary>
internal sealed class CatChatIrcTarget : IrcTarget
{
    private readonly CatChatTarget? _catchat;
    private readonly string? _label;

    /// <param name="label">Names another build in results (<c>catchat-irc=LABEL</c>); null for this checkout's.</param>
    /// <param name="program">That build: its CatChat.dll (run with dotnet) or a published executable.</param>
    public CatChatIrcTarget(TargetOptions options, IPEndPoint? external, int? externalPid, string? label = null, string? program = null)
        : base(external, externalPid)
    {
        _label = label;
        _catchat = external is null ? new CatChatTarget(options, null, null, label: label, program: program, irc: true) : null;
    }

    public override string Name => "catchat-irc" + (_label is null ? "" : "=" + _label);

    public override string Kind => "catchat-irc";

    // CatChat takes connections past its open-files limit (io_uring direct descriptors), so that limit caps nothing.
    public override long? ConnectionLimit => null;

    protected override int? PinServer => null; // CatChatTarget pins it

    public override async Task StartAsync(int connections, CancellationToken cancellationToken)
    {
        if (_catchat is null)
        {
            await base.StartAsync(connections, cancellationToken);
            return;
        }

        await _catchat.StartAsync(connections, cancellationToken);
        Pid = _catchat.Pid;
        EndPoint = new IPEndPoint(IPAddress.Loopback, _catchat.IrcPort);
    }

    protected override (string Program, IReadOnlyList<string> Arguments) Command(string directory, int port) =>
        throw new InvalidOperationException("CatChat is started by its own target");

    public override async ValueTask DisposeAsync()
    {
        if (_catchat is not null)
        {
            await _catchat.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
