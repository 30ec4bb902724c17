using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CatChat.Chat;
using CatChat.Hosting;
using CatChat.IntegrationTests.Support;
using CatChat.Protocol;
using CatChat.Sessions;
using CatChat.Transport;

namespace CatChat.IntegrationTests;

/// <summary>The output of a socket .NET owns (as Kestrel's are), sent from the flushing thread, over real loopback connections.</summary>
public sealed class DirectSocketOutputTests : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _sockets = [];

    public DirectSocketOutputTests()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(128);
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _listener.Dispose();
    }

    [Fact]
    public async Task ALaneSendsToManySuchSocketsInOneSubmission()
    {
        using var sends = SendBatch.TryCreate(out var reason) ?? throw new InvalidOperationException("io_uring is needed here: " + reason);
        var lane = new FlushLane(manual: true, new TransportWriteCoalescer(SendCoalescer.Over(sends)));
        var clients = new List<Socket>();
        var outboxes = new List<Outbox>();
        for (var i = 0; i < 30; i++)
        {
            var (client, server) = await ConnectAsync();
            clients.Add(client);
            var outbox = new Outbox(1024 * 1024, new NobodyListening(), lane: lane);
            outbox.Start(new DirectSocketOutput(server));
            outboxes.Add(outbox);
        }

        var line = LineEncoder.Encode("<alice> hello everyone");
        Assert.All(outboxes, outbox => Assert.True(outbox.TryEnqueue(line)));
        lane.RunScheduled();

        Assert.Equal(1, sends.Submissions);
        foreach (var client in clients)
        {
            Assert.Equal("<alice> hello everyone\r\n", await SocketReads.ReceiveTextAsync(client, line.Length));
        }
    }

    [Fact]
    public async Task AFlushTheKernelCannotTakeWaitsForThePeerToReadAndLosesNothing()
    {
        var (client, server) = await ConnectAsync();
        var output = new DirectSocketOutput(server);
        var expected = new byte[16 * 1024 * 1024];
        Random.Shared.NextBytes(expected);
        output.Write(expected);

        var flush = output.FlushAsync().AsTask();
        Assert.False(flush.IsCompleted); // Far more than the socket buffers hold, and nobody reads yet.

        var received = await SocketReads.ReceiveAsync(client, expected.Length);
        var result = await flush.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(result.IsCompleted);
        Assert.True(received.AsSpan().SequenceEqual(expected));
    }

    [Fact]
    public async Task CancelPendingFlushEndsAWaitingFlushAsCancelled()
    {
        var (_, server) = await ConnectAsync();
        var output = new DirectSocketOutput(server);
        output.Write(new byte[16 * 1024 * 1024]);
        var flush = output.FlushAsync().AsTask();
        Assert.False(flush.IsCompleted);

        output.CancelPendingFlush();

        Assert.True((await flush.WaitAsync(TimeSpan.FromSeconds(10))).IsCanceled);
    }

    [Fact]
    public async Task APeerThatIsGoneCompletesTheWriterRatherThanThrowing()
    {
        var (client, server) = await ConnectAsync();
        var output = new DirectSocketOutput(server);
        client.LingerState = new LingerOption(true, 0);
        client.Close(); // A reset.

        var completed = false;
        for (var attempt = 0; attempt < 10 && !completed; attempt++)
        {
            output.Write("anyone there?\r\n"u8);
            completed = (await output.FlushAsync()).IsCompleted;
        }

        Assert.True(completed);
    }

    private async Task<(Socket Client, Socket Server)> ConnectAsync()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(_listener.LocalEndPoint!);
        var server = await _listener.AcceptAsync();
        _sockets.Add(client);
        _sockets.Add(server);
        return (client, server);
    }
}
