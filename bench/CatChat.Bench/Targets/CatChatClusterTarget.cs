using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CatChat.Bench.Wire;

namespace CatChat.Bench.Targets;

/// <summary>
/// K CatChat nodes joined by a Redis backplane (<c>--redis</c>), all on this machine and started by this tool.
/// Client i connects to node i mod K, so with K = 2 half of every message's receivers are on the sender's node
/// and half on the other: the run shows what crossing nodes costs beside a local delivery.
/// </summary>
internal sealed class CatChatClusterTarget(TargetOptions options, int nodes) : BenchTarget
{
    private readonly RedisTarget _redis = new(options, null, null);
    private readonly List<CatChatTarget> _nodes = [];
    private int _rooms;

    public override string Name => "catchat*" + nodes;

    public override string Kind => "catchat";

    public override bool SendersAreReceivers => true;

    public override ReadOnlyMemory<byte> JoinRequest => ReadOnlyMemory<byte>.Empty;

    public override ReadOnlyMemory<byte> ProbeRequest => ReadOnlyMemory<byte>.Empty;

    public override FrameParser Parser { get; } = ChatFrames.Parse;

    public override FrameParser RoomParser { get; } = ChatFrames.ParseInRooms;

    public override ReadOnlyMemory<byte> JoinRoomRequest(string room) => System.Text.Encoding.ASCII.GetBytes("/join #" + room + "\r\n");

    public override OutgoingMessage CreateRoomMessage(int size, string room) => _nodes[0].CreateRoomMessage(size, room);

    // Passed to each node as it is made (in StartAsync).
    public override void ExpectRooms(int rooms) => _rooms = rooms;

    public override int Nodes => nodes;

    // The clients are on CatChat nodes, which take connections past their open-files limit like a single CatChat.
    public override long? ConnectionLimit => null;

    public override IReadOnlyList<int> ServerPids =>
        [.. _nodes.Select(n => n.Pid).Append(_redis.Pid).Where(p => p is not null).Select(p => p!.Value)];

    public override IPEndPoint EndPointFor(int client) => _nodes[client % nodes].EndPoint;

    public override int NodeOf(int client) => client % nodes;

    public override async Task StartAsync(int connections, CancellationToken cancellationToken)
    {
        await _redis.StartAsync(0, cancellationToken);
        for (var k = 0; k < nodes; k++)
        {
            var node = new CatChatTarget(options, null, null, extraArguments: ["--redis", $"127.0.0.1:{_redis.EndPoint.Port}", "--node-name", $"node{k + 1}"]);
            node.ExpectRooms(_rooms);
            _nodes.Add(node);
            await node.StartAsync(connections, cancellationToken);
        }

        EndPoint = _nodes[0].EndPoint;
        Pid = _nodes[0].Pid;
        await WaitUntilJoinedAsync(cancellationToken);
    }

    public override OutgoingMessage CreateMessage(int size) => _nodes[0].CreateMessage(size);

    public override async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    // A node that has not yet subscribed would miss the first messages: wait until a line said on the first
    // node is heard on every other one (bounded).
    private async Task WaitUntilJoinedAsync(CancellationToken cancellationToken)
    {
        using var speaker = await ConnectAsync(_nodes[0].EndPoint, cancellationToken);
        var listeners = new List<Socket>();
        try
        {
            foreach (var node in _nodes.Skip(1))
            {
                listeners.Add(await ConnectAsync(node.EndPoint, cancellationToken));
            }

            var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
            var heard = new StringBuilder[listeners.Count];
            for (var i = 0; i < heard.Length; i++)
            {
                heard[i] = new StringBuilder();
            }

            var buffer = new byte[8192];
            while (true)
            {
                await speaker.SendAsync("cluster-probe\r\n"u8.ToArray(), SocketFlags.None, cancellationToken);
                await Task.Delay(100, cancellationToken);
                for (var i = 0; i < listeners.Count; i++)
                {
                    while (listeners[i].Available > 0)
                    {
                        var read = await listeners[i].ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                        heard[i].Append(Encoding.UTF8.GetString(buffer, 0, read));
                    }
                }

                if (heard.All(h => h.ToString().Contains("> cluster-probe", StringComparison.Ordinal)))
                {
                    return;
                }

                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException("the cluster's nodes did not hear each other within 30 s");
                }
            }
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint, cancellationToken);
        return socket;
    }
}
