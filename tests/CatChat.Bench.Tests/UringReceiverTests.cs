using System.Net;
using System.Net.Sockets;
using CatChat.Bench.Scenarios;
using CatChat.Bench.Wire;

namespace CatChat.Bench.Tests;

/// <summary>The load generator's receive side: its io_uring engine, and the parsing of bytes as they come in.</summary>
[Collection(AloneCollection.Name)]
public sealed class UringReceiverTests
{
    private const int Size = 64;
    private const uint RunId = 0x1234;

    // About 20 KB: more than the 8 KB a partial frame is carried in, so what follows a carried frame is parsed in place too.
    private const int Messages = 200;

    public static TheoryData<string> Protocols => ["chat", "resp"];

    [Theory]
    [MemberData(nameof(Protocols))]
    public void FramesSplitBetweenTwoReceivesAreEachParsedOnceAtEverySplitPoint(string protocol)
    {
        var (bytes, parser) = Stream(protocol);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var run = new FanoutRun(RunId, Size, senders: 1, window: 0);
            using var client = BenchClient.Unconnected(parser, run);

            client.Consume(bytes.AsSpan(0, split), receivedAt: 1);
            client.Consume(bytes.AsSpan(split), receivedAt: 2);

            Assert.True(client.Unique == Messages, $"split at {split}: {client.Unique} messages");
            Assert.Equal((0L, 0L, 0L), (client.Duplicates, client.Reorders, client.Malformed));
        }
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void FramesReceivedOneByteAtATimeAreEachParsedOnce(string protocol)
    {
        var (bytes, parser) = Stream(protocol);
        var run = new FanoutRun(RunId, Size, senders: 1, window: 0);
        using var client = BenchClient.Unconnected(parser, run);

        for (var i = 0; i < bytes.Length; i++)
        {
            client.Consume(bytes.AsSpan(i, 1), receivedAt: i);
        }

        Assert.Equal(Messages, client.Unique);
        Assert.Equal((0L, 0L, 0L), (client.Duplicates, client.Reorders, client.Malformed));
    }

    [Fact]
    public void AFrameLongerThanTheFirstCarryBufferIsKept()
    {
        using var client = BenchClient.Unconnected(ChatFrames.Parse, run: null);
        var line = new byte[20_000];
        Array.Fill(line, (byte)'x');
        line[^2] = (byte)'\r';
        line[^1] = (byte)'\n';

        for (var offset = 0; offset < line.Length; offset += 2048)
        {
            client.Consume(line.AsSpan(offset, Math.Min(2048, line.Length - offset)), receivedAt: offset);
        }

        client.Consume("*** You are w1.\r\n"u8, receivedAt: 1);
        Assert.True(client.Ready.IsCompletedSuccessfully);
    }

    [Fact]
    public void AFrameLongerThanOneMebibyteIsRefused()
    {
        // The carry grows past the 8 KiB it starts with (a web client's room message lists every member), to a cap.
        using var client = BenchClient.Unconnected(ChatFrames.Parse, run: null);
        var chunk = new byte[2048];
        Array.Fill(chunk, (byte)'x');

        Assert.Throws<InvalidDataException>(() =>
        {
            for (var i = 0; i < 600; i++)
            {
                client.Consume(chunk, receivedAt: i);
            }
        });
    }

    [Fact]
    public async Task BytesArriveInOrderAndTheEndOfTheStreamEndsTheReceive()
    {
        using var receiver = new UringReceiver("uring-test");
        var (client, server) = await ConnectedPairAsync();
        using (client)
        using (server)
        {
            var target = new CollectingTarget();
            Assert.True(receiver.TryAdd(target, client.SafeHandle));

            // More than the provided buffers hold at once, so they are handed back and used again.
            var sent = new byte[3 << 20];
            new Random(7).NextBytes(sent);
            await server.SendAsync(sent, SocketFlags.None);
            server.Shutdown(SocketShutdown.Send);

            Assert.Null(await target.Ended.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(sent, target.Bytes());
        }
    }

    [Fact]
    public async Task ABytesTimeIsWhenItReachedTheSocketNotWhenTheLoadGeneratorGotToIt()
    {
        using var receiver = new UringReceiver("uring-test");
        var (slowClient, slowServer) = await ConnectedPairAsync();
        var (client, server) = await ConnectedPairAsync();
        using (slowClient)
        using (slowServer)
        using (client)
        using (server)
        {
            // The first connection's receive holds the receiver's one thread for 300 ms; the second's bytes come meanwhile.
            // The sleep is the behaviour under test, a slow receive callback that blocks the thread, not a wait for an event:
            // the test waits for events (holding, WaitForAsync) and checks the bytes were stamped on arrival, not when read.
            using var holding = new ManualResetEventSlim();
            var slow = new CollectingTarget { OnEachReceive = () => { holding.Set(); Thread.Sleep(300); } };
            var target = new CollectingTarget();
            Assert.True(receiver.TryAdd(slow, slowClient.SafeHandle));
            Assert.True(receiver.TryAdd(target, client.SafeHandle));

            // The second connection's receive is armed (and its packets stamped) before the thread is held: its adding
            // waits in the ring thread's queue, and a packet that came before it would have no stamp to go by.
            await server.SendAsync("ping"u8.ToArray(), SocketFlags.None);
            await target.WaitForAsync(4);

            await slowServer.SendAsync("hold"u8.ToArray(), SocketFlags.None);
            Assert.True(holding.Wait(TimeSpan.FromSeconds(10)));
            var sentAt = System.Diagnostics.Stopwatch.GetTimestamp();
            await server.SendAsync("hello"u8.ToArray(), SocketFlags.None);
            await target.WaitForAsync(9);

            Assert.Equal(2, target.Times.Count);
            var (receivedAt, readAt) = target.Times[^1];
            var arrival = System.Diagnostics.Stopwatch.GetElapsedTime(sentAt, receivedAt);
            var lag = System.Diagnostics.Stopwatch.GetElapsedTime(receivedAt, readAt);
            Assert.True(arrival < TimeSpan.FromMilliseconds(100), $"stamped {arrival.TotalMilliseconds:0.#} ms after the send");
            Assert.True(lag > TimeSpan.FromMilliseconds(150), $"read {lag.TotalMilliseconds:0.#} ms after it arrived");
        }
    }

    [Fact]
    public async Task ShuttingTheSocketDownEndsItsReceiveWhileThePeerStaysOpen()
    {
        using var receiver = new UringReceiver("uring-test");
        var (client, server) = await ConnectedPairAsync();
        using (server)
        {
            var target = new CollectingTarget();
            Assert.True(receiver.TryAdd(target, client.SafeHandle));
            await server.SendAsync("hello"u8.ToArray(), SocketFlags.None);
            await target.WaitForAsync(5);

            client.Shutdown(SocketShutdown.Both);
            client.Dispose();

            Assert.Null(await target.Ended.WaitAsync(TimeSpan.FromSeconds(10)));

            // The connection is closed, not only our side of it: the peer reads the end of the stream.
            var buffer = new byte[16];
            Assert.Equal(0, await server.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10)));
        }
    }

    [Fact]
    public async Task ATargetThatStopsIsToldItsReceiveEndedAndGetsNothingMore()
    {
        using var receiver = new UringReceiver("uring-test");
        var (client, server) = await ConnectedPairAsync();
        using (client)
        using (server)
        {
            var target = new CollectingTarget { StopAfter = 1 };
            Assert.True(receiver.TryAdd(target, client.SafeHandle));
            await server.SendAsync("first"u8.ToArray(), SocketFlags.None);

            Assert.NotNull(await target.Ended.WaitAsync(TimeSpan.FromSeconds(10)));
            await server.SendAsync("second"u8.ToArray(), SocketFlags.None);

            // A marker on another connection, sent after "second": once the receiver has it, it has seen what came before.
            var (markerClient, markerServer) = await ConnectedPairAsync();
            using (markerClient)
            using (markerServer)
            {
                var marker = new CollectingTarget();
                Assert.True(receiver.TryAdd(marker, markerClient.SafeHandle));
                await markerServer.SendAsync("marker"u8.ToArray(), SocketFlags.None);
                await marker.WaitForAsync(6);
                markerClient.Shutdown(SocketShutdown.Both);
            }

            Assert.Equal("first"u8.ToArray(), target.Bytes());
        }
    }

    [Fact]
    public async Task DisposingTheReceiverEndsEveryReceiveAndRefusesNewOnes()
    {
        var receiver = new UringReceiver("uring-test");
        var (client, server) = await ConnectedPairAsync();
        using (client)
        using (server)
        {
            var target = new CollectingTarget();
            Assert.True(receiver.TryAdd(target, client.SafeHandle));

            receiver.Dispose();

            Assert.NotNull(await target.Ended.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.False(receiver.TryAdd(new CollectingTarget(), client.SafeHandle));
        }
    }

    // Benchmark messages of sender 0 (sequences 0, 1, ...) as CatChat or Redis sends them, with other frames around.
    private static (byte[] Bytes, FrameParser Parser) Stream(string protocol)
    {
        var stream = new MemoryStream();
        var text = new byte[Size];
        if (protocol == "chat")
        {
            stream.Write("Welcome to CatChat!\r\n*** You are guest-9.\r\n"u8);
        }
        else
        {
            stream.Write("*3\r\n$9\r\nsubscribe\r\n$4\r\nroom\r\n:1\r\n"u8);
        }

        for (uint sequence = 0; sequence < Messages; sequence++)
        {
            BenchPayload.Write(text, RunId, sender: 0, sequence, timestamp: 1);
            if (protocol == "chat")
            {
                stream.Write("<guest-1> "u8);
                stream.Write(text);
                stream.Write("\r\n*** guest-2 has joined\r\n"u8);
            }
            else
            {
                stream.Write("*3\r\n$7\r\nmessage\r\n$4\r\nroom\r\n$64\r\n"u8);
                stream.Write(text);
                stream.Write("\r\n"u8);
            }
        }

        return (stream.ToArray(), protocol == "chat" ? ChatFrames.Parse : RespFrames.Parse);
    }

    private static async Task<(Socket Client, Socket Server)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await listener.AcceptAsync();
        return (client, server);
    }

    private sealed class CollectingTarget : IReceiveTarget
    {
        private readonly TaskCompletionSource<string?> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly MemoryStream _bytes = new();
        private readonly Lock _gate = new();
        private int _receives;
        private TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Stop receiving after this many receives (0: never).</summary>
        public int StopAfter { get; init; }

        /// <summary>Completes with the failure the receive ended with (null: the end of the stream).</summary>
        public Task<string?> Ended => _ended.Task;

        public byte[] Bytes()
        {
            lock (_gate)
            {
                return _bytes.ToArray();
            }
        }

        /// <summary>Waits, receive by receive, until <paramref name="length"/> bytes have arrived.</summary>
        public async Task WaitForAsync(int length)
        {
            while (true)
            {
                Task next;
                lock (_gate)
                {
                    if (_bytes.Length >= length)
                    {
                        return;
                    }

                    next = _received.Task;
                }

                await next.WaitAsync(TimeSpan.FromSeconds(10));
            }
        }

        /// <summary>Runs on the receiver's thread at each receive, before the bytes are kept (to hold the thread up).</summary>
        public Action? OnEachReceive { get; init; }

        /// <summary>(reached the socket, read) of each receive, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
        public List<(long ReceivedAt, long ReadAt)> Times { get; } = [];

        public bool OnReceived(ReadOnlySpan<byte> data, long receivedAt, long readAt)
        {
            Assert.False(_ended.Task.IsCompleted, "bytes after the end");
            OnEachReceive?.Invoke();
            TaskCompletionSource received;
            lock (_gate)
            {
                Times.Add((receivedAt, readAt));
                _bytes.Write(data);
                received = _received;
                _received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            received.TrySetResult();
            return ++_receives != StopAfter;
        }

        // On the receiver's thread: no assertion here (it would end the thread, not the test).
        public void OnReceiveEnded(string? failure) => _ended.TrySetResult(failure);
    }
}
