using System.Globalization;
using System.Net;
using System.Text;
using CatChat.Bench.Wire;

namespace CatChat.Bench.Targets;

/// <summary>
/// An IRC server: every client registers (NICK, USER) under a nickname of its own, joins <see cref="Channel"/> once
/// welcomed, and senders PRIVMSG the channel. IRC never sends a PRIVMSG back to its sender (no client asks for
/// echo-message), so a message reaches the channel's other N - 1 members, as on CatChat's netcat port. Subclasses start
/// the server (this tool owns it: a throwaway directory, a free port) or use one already running.
/// </summary>
internal abstract class IrcTarget : BenchTarget
{
    public const string Channel = "#bench";

    private static readonly byte[] Join = Encoding.ASCII.GetBytes($"JOIN {Channel}\r\n");

    private readonly IPEndPoint? _external;
    private ServerProcess? _server;
    private ScratchDirectory? _directory;

    protected IrcTarget(IPEndPoint? external, int? externalPid)
    {
        _external = external;
        Pid = externalPid;
    }

    public override bool SendersAreReceivers => true;

    public override ReadOnlyMemory<byte> JoinRequest => ReadOnlyMemory<byte>.Empty;

    public override ReadOnlyMemory<byte> ProbeRequest => ReadOnlyMemory<byte>.Empty;

    public override FrameParser Parser { get; } = IrcFrames.Parse;

    // The rooms scenario is not run on IRC (BenchOptions refuses it): every client is in the one channel.
    public override FrameParser RoomParser => Parser;

    /// <summary>The nickname of client number <paramref name="client"/>: short enough for any server's NICKLEN.</summary>
    public static string Nick(int client) => "b" + client.ToString(CultureInfo.InvariantCulture);

    public override ReadOnlyMemory<byte> JoinRequestFor(int client) =>
        Encoding.ASCII.GetBytes($"NICK {Nick(client)}\r\nUSER {Nick(client)} 0 * :CatChat bench\r\n");

    public override ReadOnlyMemory<byte> WelcomeReply(int client, bool sender) => Join;

    public override ReadOnlyMemory<byte> JoinRoomRequest(string room) => throw new NotSupportedException("the rooms scenario is not run on IRC servers");

    public override OutgoingMessage CreateRoomMessage(int size, string room) => throw new NotSupportedException("the rooms scenario is not run on IRC servers");

    public override OutgoingMessage CreateMessage(int size)
    {
        var head = Encoding.ASCII.GetBytes($"PRIVMSG {Channel} :");
        var bytes = new byte[head.Length + size + 2];
        head.CopyTo(bytes, 0);
        bytes[^2] = (byte)'\r';
        bytes[^1] = (byte)'\n';
        return new OutgoingMessage(bytes, head.Length, size);
    }

    public override async Task StartAsync(int connections, CancellationToken cancellationToken)
    {
        if (_external is not null)
        {
            EndPoint = _external;
            return;
        }

        _directory = ScratchDirectory.Create(Name + "-bench-");
        var port = FreePort.Next();
        var (program, arguments) = Command(_directory.FullName, port);
        _server = ServerProcess.Start(program, arguments, PinServer, _directory.PathOf("server.log"));
        Pid = _server.Pid;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
        await _server.WaitUntilListeningAsync(EndPoint, TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>The CPU the server is pinned to (taskset), if any.</summary>
    protected abstract int? PinServer { get; }

    /// <summary>How to start the server on <paramref name="port"/>, with its files (configuration, log) in <paramref name="directory"/>.</summary>
    protected abstract (string Program, IReadOnlyList<string> Arguments) Command(string directory, int port);

    /// <summary>
    /// Writes the server's configuration from its template in bench/irc-servers/ (<c>{PORT}</c> and <c>{DIR}</c> filled
    /// in) into <paramref name="directory"/>; returns the file's path.
    /// </summary>
    protected static string WriteConfig(string template, string directory, int port)
    {
        var source = Path.Combine(CatChatBuild.RepositoryRoot, "bench", "irc-servers", template);
        var text = File.ReadAllText(source)
            .Replace("{PORT}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{DIR}", directory, StringComparison.Ordinal);
        var path = Path.Combine(directory, template);
        File.WriteAllText(path, text);
        return path;
    }

    public override ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _directory?.Dispose();
        return ValueTask.CompletedTask;
    }
}
