using System.Globalization;
using System.Net;
using CatChat.Bench.Wire;

namespace CatChat.Bench.Targets;

/// <summary>
/// CatChat: a chat client is a plain TCP connection that reads CRLF lines. Started by this tool (this checkout's
/// Release build or another build given by path, a throwaway data directory, free ports, limits opened up for
/// benchmarking) or one already running.
/// </summary>
internal sealed class CatChatTarget : BenchTarget
{
    private readonly TargetOptions _options;
    private readonly IPEndPoint? _external;
    private IReadOnlyList<string> _extraArguments;
    private ServerProcess? _server;
    private ScratchDirectory? _dataDirectory;

    private readonly string? _transport;
    private readonly string? _label;
    private readonly string? _program;
    private readonly bool _irc;

    /// <param name="label">Names another build in results (<c>catchat=LABEL</c>); null for this checkout's.</param>
    /// <param name="program">That build: its CatChat.dll (run with dotnet) or a published executable.</param>
    /// <param name="irc">Also serve the IRC port (<see cref="IrcPort"/>), for <see cref="CatChatIrcTarget"/>.</param>
    public CatChatTarget(
        TargetOptions options, IPEndPoint? external, int? externalPid, string? transport = null, string? label = null, string? program = null,
        IReadOnlyList<string>? extraArguments = null, bool irc = false)
    {
        _irc = irc;
        _options = options;
        _external = external;
        _transport = transport;
        _label = label;
        _program = program;
        _extraArguments = transport is null ? extraArguments ?? [] : [.. extraArguments ?? [], "--chat-transport", transport];
        Pid = externalPid;
    }

    /// <summary>
    /// "catchat", "catchat:io_uring" when a transport was named, "catchat=before" (or "catchat:epoll=before") for another
    /// build: reports keep them apart.
    /// </summary>
    public override string Name => (_transport is null ? "catchat" : "catchat:" + _transport) + (_label is null ? "" : "=" + _label);

    public override string Kind => "catchat";

    public override bool SendersAreReceivers => true;

    /// <summary>The IRC port of a CatChat started with its IRC port on; 0 otherwise.</summary>
    public int IrcPort { get; private set; }

    /// <summary>The HTTP side (the web chat's <c>/ws</c>) of a server this tool started; null for one already running.</summary>
    public IPEndPoint? HttpEndPoint { get; private set; }

    public override ReadOnlyMemory<byte> JoinRequest => ReadOnlyMemory<byte>.Empty;

    public override ReadOnlyMemory<byte> ProbeRequest => ReadOnlyMemory<byte>.Empty;

    public override FrameParser Parser { get; } = ChatFrames.Parse;

    /// <summary>CatChat's default <c>--max-rooms</c>: rooms besides the default one.</summary>
    public const int DefaultMaxRooms = 10_000;

    public override FrameParser RoomParser { get; } = ChatFrames.ParseInRooms;

    public override ReadOnlyMemory<byte> JoinRoomRequest(string room) => System.Text.Encoding.ASCII.GetBytes("/join #" + room + "\r\n");

    // A plain line goes to the sender's current room: the one it joined last.
    public override OutgoingMessage CreateRoomMessage(int size, string room) => CreateMessage(size);

    // Only past the default, so a run within it measures CatChat as shipped (and a build from before rooms, which
    // knows no --max-rooms, still runs every other scenario).
    public override void ExpectRooms(int rooms)
    {
        if (rooms > DefaultMaxRooms)
        {
            _extraArguments = [.. _extraArguments, "--max-rooms", rooms.ToString(CultureInfo.InvariantCulture)];
        }
    }

    // CatChat takes connections past its open-files limit (io_uring direct descriptors), so that limit caps nothing.
    public override long? ConnectionLimit => null;

    /// <summary>
    /// The server's settings for benchmarking, checked against <c>catchat --help</c>: flood control off (0), no history
    /// replay, connection caps far above any N, a 64 MiB send queue so only a truly stuck reader is dropped, and no
    /// join or departure notices: connecting N silent receivers then costs N, not N² notices.
    /// </summary>
    public static IReadOnlyList<string> BenchmarkSettings { get; } =
    [
        "--history-replay", "0", "--flood-burst", "0", "--max-connections", "10000000", "--max-connections-per-ip", "10000000",
        "--presence-notices", "false", "--send-queue-bytes", "67108864", "--idle-timeout", "0",
    ];

    public override async Task StartAsync(int connections, CancellationToken cancellationToken)
    {
        if (_external is not null)
        {
            EndPoint = _external;
            return;
        }

        // Another build as it is; this checkout's built once per run unless --no-build.
        var program = _program ?? await CatChatBuild.EnsureBuiltAsync(_options.Build, cancellationToken);
        var isDll = program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        _dataDirectory = ScratchDirectory.Create("catchat-bench-");
        var chatPort = FreePort.Next();
        IrcPort = _irc ? FreePort.Next() : 0;
        var httpPort = FreePort.Next();
        string[] arguments =
        [
            "--bind", "127.0.0.1", "--chat-port", chatPort.ToString(CultureInfo.InvariantCulture),
            "--http-port", httpPort.ToString(CultureInfo.InvariantCulture), "--data-dir", _dataDirectory.FullName,
            .. BenchmarkSettings, .. _extraArguments,
        ];
        // The IRC port through the environment: off (0) unless wanted, and a build from before it had one ignores the
        // variable, where an unknown switch would stop it.
        _server = ServerProcess.Start(
            isDll ? "dotnet" : program,
            isDll ? [program, .. arguments] : arguments,
            _options.PinServer,
            _dataDirectory.PathOf("server.log"),
            new Dictionary<string, string> { ["CatChat__IrcPort"] = IrcPort.ToString(CultureInfo.InvariantCulture) });
        Pid = _server.Pid;
        EndPoint = new IPEndPoint(IPAddress.Loopback, chatPort);
        HttpEndPoint = new IPEndPoint(IPAddress.Loopback, httpPort);
        await _server.WaitUntilListeningAsync(EndPoint, TimeSpan.FromSeconds(60), cancellationToken);
        await _server.WaitUntilListeningAsync(HttpEndPoint, TimeSpan.FromSeconds(60), cancellationToken);
        if (_irc)
        {
            await _server.WaitUntilListeningAsync(new IPEndPoint(IPAddress.Loopback, IrcPort), TimeSpan.FromSeconds(10), cancellationToken);
        }
    }

    public override OutgoingMessage CreateMessage(int size)
    {
        var bytes = new byte[size + 2];
        bytes[^2] = (byte)'\r';
        bytes[^1] = (byte)'\n';
        return new OutgoingMessage(bytes, 0, size);
    }

    public override ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _dataDirectory?.Dispose();
        return ValueTask.CompletedTask;
    }
}
