using System.Globalization;
using System.Net;
using CatChat.Bench.Wire;

namespace CatChat.Bench.Targets;

/// <summary>
/// Redis pub/sub, the reference: receivers SUBSCRIBE to one channel, senders PUBLISH to it over RESP on
/// connections of their own. Started by this tool (no persistence, a free port) or one already running.
/// </summary>
internal sealed class RedisTarget : BenchTarget
{
    public const string Channel = "catchat-bench";

    private readonly TargetOptions _options;
    private readonly IPEndPoint? _external;
    private ServerProcess? _server;
    private ScratchDirectory? _directory;

    public RedisTarget(TargetOptions options, IPEndPoint? external, int? externalPid)
    {
        _options = options;
        _external = external;
        Pid = externalPid;
    }

    public override string Name => "redis";

    public override bool SendersAreReceivers => false;

    public override ReadOnlyMemory<byte> JoinRequest { get; } = RespFrames.Command("SUBSCRIBE", Channel);

    public override ReadOnlyMemory<byte> ProbeRequest { get; } = "PING\r\n"u8.ToArray();

    public override FrameParser Parser { get; } = RespFrames.Parse;

    // A room is a channel of the same name: receivers subscribe to their room's, senders publish to it.
    public override FrameParser RoomParser => Parser;

    public override ReadOnlyMemory<byte> JoinRoomRequest(string room) => RespFrames.Command("SUBSCRIBE", room);

    public override OutgoingMessage CreateRoomMessage(int size, string room) => CreateMessage(size, room);

    public override async Task StartAsync(int connections, CancellationToken cancellationToken)
    {
        if (_external is not null)
        {
            EndPoint = _external;
            return;
        }

        _directory = ScratchDirectory.Create("redis-bench-");
        var port = FreePort.Next();

        // No persistence; maxclients above any N (Redis lowers it to what its open-files limit allows, and says
        // so in its log); the pub/sub output limit raised like CatChat's send queue, so only a stuck reader is dropped.
        string[] arguments =
        [
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--dir", _directory.FullName, "--maxclients", "1000000",
            "--client-output-buffer-limit", "pubsub 64mb 64mb 0",
        ];
        _server = ServerProcess.Start("redis-server", arguments, _options.PinServer, _directory.PathOf("server.log"));
        Pid = _server.Pid;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
        await _server.WaitUntilListeningAsync(EndPoint, TimeSpan.FromSeconds(30), cancellationToken);
    }

    public override OutgoingMessage CreateMessage(int size) => CreateMessage(size, Channel);

    private static OutgoingMessage CreateMessage(int size, string channel)
    {
        var head = RespFrames.PublishHead(channel, size);
        var bytes = new byte[head.Length + size + 2];
        head.CopyTo(bytes, 0);
        bytes[^2] = (byte)'\r';
        bytes[^1] = (byte)'\n';
        return new OutgoingMessage(bytes, head.Length, size);
    }

    /// <summary>Redis keeps 32 descriptors for itself below its open-files limit.</summary>
    public override long? ConnectionLimit => Pid is { } pid ? Measurement.ProcessStats.OpenFilesLimit(pid) - 32 : null;

    public override ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _directory?.Dispose();
        return ValueTask.CompletedTask;
    }
}
