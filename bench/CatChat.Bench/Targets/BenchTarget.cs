using System.Net;
using CatChat.Bench.Wire;

namespace CatChat.Bench.Targets;

/// <summary>
/// A server under test and how to speak to it: where it listens, its process (for CPU and memory figures),
/// how a client joins the fan-out, how a message is framed and how the server's output is read.
/// </summary>
internal abstract class BenchTarget : IAsyncDisposable
{
    /// <summary>"catchat", "redis", "catchat-irc", "inspircd", "ngircd", ...: the name in results and reports.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// What its clients speak, as a <c>--target</c> kind: catchat or redis (a cluster's nodes are catchat), or an IRC
    /// server's kind (catchat-irc, inspircd, ngircd).
    /// </summary>
    public virtual string Kind => Name;

    public IPEndPoint EndPoint { get; protected set; } = new(IPAddress.Loopback, 0);

    /// <summary>The server's process id when it is on this machine; null when unknown.</summary>
    public int? Pid { get; protected set; }

    /// <summary>
    /// True when a sender is one of the receivers (CatChat: a chat client sends and receives on one connection,
    /// and never gets its own lines back); false when publishers are extra connections (Redis).
    /// </summary>
    public abstract bool SendersAreReceivers { get; }

    /// <summary>What a receiving client sends right after connecting (Redis: SUBSCRIBE); may be empty.</summary>
    public abstract ReadOnlyMemory<byte> JoinRequest { get; }

    /// <summary>
    /// What client number <paramref name="client"/> sends right after connecting: <see cref="JoinRequest"/>, except on
    /// IRC, where each client registers under a nickname of its own.
    /// </summary>
    public virtual ReadOnlyMemory<byte> JoinRequestFor(int client) => JoinRequest;

    /// <summary>
    /// IRC: what client number <paramref name="client"/> sends once the server has welcomed it (001), i.e. its JOIN;
    /// <paramref name="sender"/> for a client that will send (a server may want its flood limit lifted first). Empty elsewhere.
    /// </summary>
    public virtual ReadOnlyMemory<byte> WelcomeReply(int client, bool sender) => ReadOnlyMemory<byte>.Empty;

    /// <summary>True when a sender gets its own messages back (the web chat echoes, so a page shows the room's order); they are not deliveries.</summary>
    public virtual bool EchoesToSender => false;

    /// <summary>What the connect scenario sends before it waits for the first line (Redis: PING); may be empty.</summary>
    public abstract ReadOnlyMemory<byte> ProbeRequest { get; }

    public abstract FrameParser Parser { get; }

    /// <summary>Rooms: what a client sends to join room <paramref name="room"/> (a name such as r-7) and make it its own.</summary>
    public abstract ReadOnlyMemory<byte> JoinRoomRequest(string room);

    /// <summary>Rooms: a message of <paramref name="size"/> bytes of text for room <paramref name="room"/>, from a client that joined it.</summary>
    public abstract OutgoingMessage CreateRoomMessage(int size, string room);

    /// <summary>Rooms: how a client that joined a room reads the server's output (ready once joined).</summary>
    public abstract FrameParser RoomParser { get; }

    /// <summary>Rooms: call before <see cref="StartAsync"/>; a server with a cap on rooms is started with room for <paramref name="rooms"/>.</summary>
    public virtual void ExpectRooms(int rooms)
    {
    }

    /// <summary>Starts the server (when this tool owns it) ready for <paramref name="connections"/> clients.</summary>
    public abstract Task StartAsync(int connections, CancellationToken cancellationToken);

    /// <summary>A message of <paramref name="size"/> bytes of text, framed for this server.</summary>
    public abstract OutgoingMessage CreateMessage(int size);

    /// <summary>Where client number <paramref name="client"/> connects: one server, or a node of a cluster.</summary>
    public virtual IPEndPoint EndPointFor(int client) => EndPoint;

    /// <summary>The cluster node client number <paramref name="client"/> is on; 0 for a single server.</summary>
    public virtual int NodeOf(int client) => 0;

    /// <summary>How many servers share the clients (a cluster's nodes); 1 for a single server.</summary>
    public virtual int Nodes => 1;

    /// <summary>Every process whose CPU and memory count as the server's (a cluster: its nodes and its Redis).</summary>
    public virtual IReadOnlyList<int> ServerPids => Pid is { } pid ? [pid] : [];

    /// <summary>
    /// The most connections the server's open-files limit allows, when it is known; null when the server is not
    /// capped by it.
    /// </summary>
    public virtual long? ConnectionLimit => Pid is { } pid ? Measurement.ProcessStats.OpenFilesLimit(pid) - 64 : null;

    public abstract ValueTask DisposeAsync();
}
