using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CatChat.Chat;
using CatChat.Hosting;
using CatChat.IntegrationTests.Support;
using CatChat.Protocol;
using CatChat.Sessions;
using CatChat.Testing;
using CatChat.Transport;
using Microsoft.AspNetCore.Connections;

namespace CatChat.IntegrationTests;

/// <summary>A flush lane's sends made together through an io_uring ring, over real loopback connections.</summary>
public sealed class SendBatchTests : IAsyncLifetime
{
    private readonly EpollReactor _reactor = new("test-reactor", ex => throw new InvalidOperationException("a handler failed", ex));
    private readonly List<(Socket Client, SocketConnection Server)> _pairs = [];
    private Socket _listener = null!;
    private SendBatch _sends = null!;

    public Task InitializeAsync()
    {
        _sends = SendBatch.TryCreate(out var reason) ?? throw new InvalidOperationException("io_uring is needed here: " + reason);
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(128);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var (client, server) in _pairs)
        {
            client.Dispose();
            await server.DisposeAsync();
        }

        _listener.Dispose();
        _reactor.Dispose();
        _sends.Dispose();
    }

    [Fact]
    public async Task OneLineToManyConnectionsLeavesInOneSubmission()
    {
        var lane = new FlushLane(manual: true, new TransportWriteCoalescer(SendCoalescer.Over(_sends)));
        var outboxes = new List<Outbox>();
        for (var i = 0; i < 40; i++)
        {
            outboxes.Add(StartOutbox(await ConnectAsync(), lane));
        }

        var line = LineEncoder.Encode("<alice> hello everyone");
        Assert.All(outboxes, outbox => Assert.True(outbox.TryEnqueue(line)));
        lane.RunScheduled();

        Assert.Equal(1, _sends.Submissions);
        foreach (var (client, _) in _pairs)
        {
            Assert.Equal("<alice> hello everyone\r\n", await SocketReads.ReceiveTextAsync(client, line.Length));
        }

        Assert.All(outboxes, outbox => Assert.Equal(0, outbox.PendingBytes));
    }

    [Fact]
    public async Task ABatchFullerThanItsCapacityIsSubmittedInParts()
    {
        var pair = await ConnectAsync();
        var output = (SocketOutput)((IDuplexPipe)pair.Server).Output;
        var results = new List<int>();
        var staged = new RecordingStagedSend(results);

        // One byte each, from one gathered buffer: what matters is that every send is made, in order, once.
        for (var i = 0; i <= SendBatch.Capacity; i++)
        {
            var buffer = GC.AllocateArray<byte>(1, pinned: true);
            buffer[0] = (byte)('a' + (i % 26));
            Assert.True(_sends.TryStage(staged, Handle(pair.Server), buffer, 1));
        }

        _sends.Submit();

        Assert.Equal(2, _sends.Submissions);
        Assert.Equal(SendBatch.Capacity + 1, results.Count);
        Assert.All(results, result => Assert.Equal(1, result));
        var expected = string.Concat(Enumerable.Range(0, SendBatch.Capacity + 1).Select(i => (char)('a' + (i % 26))));
        Assert.Equal(expected, await SocketReads.ReceiveTextAsync(pair.Client, expected.Length));
        Assert.False(output.HoldsBuffer);
    }

    [Fact]
    public async Task ABatchedSendThatFindsTheBufferFullFinishesWhenThePeerReads()
    {
        var lane = new FlushLane(manual: true, new TransportWriteCoalescer(SendCoalescer.Over(_sends)));
        var pair = await ConnectAsync();
        var outbox = StartOutbox(pair, lane);

        // Far more than the socket buffers hold: batched sends come back short or with EAGAIN, and the rest waits for room.
        var expected = new StringBuilder();
        for (var i = 0; i < 60_000; i++)
        {
            var text = $"line {i:D6} " + new string((char)('a' + (i % 26)), 200);
            expected.Append(text).Append("\r\n");
            Assert.True(outbox.TryEnqueue(LineEncoder.Encode(text)));
        }

        lane.RunScheduled();
        Assert.True(outbox.PendingBytes > 0); // Nobody has read yet: the writer waits for room.
        var drained = outbox.CompleteAsync();

        var received = await SocketReads.ReceiveTextAsync(pair.Client, Encoding.UTF8.GetByteCount(expected.ToString()));
        await drained.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(expected.ToString(), received);
    }

    [Fact]
    public async Task ABatchedSendToAResetPeerStopsTheOutboxWithoutThrowing()
    {
        var lane = new FlushLane(manual: true, new TransportWriteCoalescer(SendCoalescer.Over(_sends)));
        var pair = await ConnectAsync();
        var outbox = StartOutbox(pair, lane);
        pair.Client.LingerState = new LingerOption(true, 0);
        pair.Client.Close(); // A reset, not a polite close: on loopback it has reached the server's socket when Close returns.

        for (var attempt = 0; attempt < 10 && outbox.TryEnqueue(LineEncoder.Encode("anyone there?")); attempt++)
        {
            lane.RunScheduled();
        }

        Assert.False(outbox.TryEnqueue(LineEncoder.Encode("too late")));
        await outbox.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AClosedSocketIsNotStaged()
    {
        var pair = await ConnectAsync();
        var handle = Handle(pair.Server);
        await pair.Server.DisposeAsync();

        Assert.False(_sends.TryStage(new RecordingStagedSend([]), handle, GC.AllocateArray<byte>(16, pinned: true), 16));
        _sends.Submit();
        Assert.Equal(0, _sends.Submissions);
    }

    private static Outbox StartOutbox((Socket Client, SocketConnection Server) pair, FlushLane lane)
    {
        var outbox = new Outbox(64 * 1024 * 1024, new NobodyListening(), lane: lane);
        outbox.Start(((IDuplexPipe)pair.Server).Output);
        return outbox;
    }

    private static SocketHandle Handle(SocketConnection connection) =>
        (SocketHandle)typeof(SocketConnection).GetField("_handle", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(connection)!;

    private async Task<(Socket Client, SocketConnection Server)> ConnectAsync()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(_listener.LocalEndPoint!);
        var accepted = await _listener.AcceptAsync();
        var pair = (client, new SocketConnection(AcceptedDescriptor.Take(accepted), default, _reactor));
        _pairs.Add(pair);
        return pair;
    }

    private sealed class RecordingStagedSend(List<int> results) : IStagedSend
    {
        public bool TryStageSend(SendBatch batch) => throw new NotSupportedException();

        public void OnStagedSendCompleted(int result) => results.Add(result);
    }
}
