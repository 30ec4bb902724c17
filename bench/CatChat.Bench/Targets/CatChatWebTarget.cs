using System.Globalization;
using System.Net;
using CatChat.Bench.Wire;

namespace CatChat.Bench.Targets;

/// <summary>
/// CatChat's web chat: each client is a WebSocket on <c>/ws</c> of the HTTP side, speaking JSON. The server is
/// started exactly as <see cref="CatChatTarget"/> starts it (same build, same benchmark settings: the per-IP and
/// flood limits are the front doors' shared ones), so a run of this target and one of <c>catchat</c> differ only in
/// the front door. Fan-out only: rooms and the connect probe are netcat's business.
/// </summary>
internal sealed class CatChatWebTarget : BenchTarget
{
    private readonly CatChatTarget _server;
    private readonly IPEndPoint? _external;
    private readonly string? _label;

    /// <param name="external">A running server's HTTP side (host:port), or null to start one.</param>
    /// <param name="label">Names another build in results (<c>catchat-web=LABEL</c>); null for this checkout's.</param>
    /// <param name="program">That build: its CatChat.dll (run with dotnet) or a published executable.</param>
    public CatChatWebTarget(TargetOptions options, IPEndPoint? external = null, int? externalPid = null, string? label = null, string? program = null)
    {
        _server = new CatChatTarget(options, external: null, externalPid: null, label: label, program: program);
        _external = external;
        _label = label;
        Pid = externalPid;
    }

    public override string Name => "catchat-web" + (_label is null ? "" : "=" + _label);

    public override bool SendersAreReceivers => true;

    public override bool EchoesToSender => true;

    // Each client needs its own nickname, so the join is per client (JoinRequestFor).
    public override ReadOnlyMemory<byte> JoinRequest => throw new NotSupportedException("a web client's join names it: JoinRequestFor");

    public override ReadOnlyMemory<byte> ProbeRequest => throw NotSupported("connect");

    public override FrameParser Parser { get; } = WebSocketFrames.Parse;

    public override FrameParser RoomParser => throw NotSupported("rooms");

    // The server takes connections past its open-files limit, as for netcat.
    public override long? ConnectionLimit => null;

    /// <summary>The upgrade and the hello as client "w" + its number: nicknames the server accepts, unique in the run.</summary>
    public override ReadOnlyMemory<byte> JoinRequestFor(int client) =>
        WebSocketRequests.UpgradeAndHello(EndPoint.ToString(), "w" + client.ToString(CultureInfo.InvariantCulture));

    public override ReadOnlyMemory<byte> JoinRoomRequest(string room) => throw NotSupported("rooms");

    public override OutgoingMessage CreateRoomMessage(int size, string room) => throw NotSupported("rooms");

    public override async Task StartAsync(int connections, CancellationToken cancellationToken)
    {
        if (_external is not null)
        {
            EndPoint = _external;
            return;
        }

        await _server.StartAsync(connections, cancellationToken);
        Pid = _server.Pid;
        EndPoint = _server.HttpEndPoint ?? throw new InvalidOperationException("the server's HTTP side is unknown");
    }

    public override OutgoingMessage CreateMessage(int size)
    {
        var (frame, textOffset) = WebSocketRequests.Say(size);
        return new OutgoingMessage(frame, textOffset, size);
    }

    public override ValueTask DisposeAsync() => _server.DisposeAsync();

    private static NotSupportedException NotSupported(string scenario) => new($"catchat-web runs the fanout scenario only, not {scenario}");
}
