using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CatChat.Bench.Wire;

namespace CatChat.Bench.Scenarios;

/// <summary>
/// One client connection of the load generator. What it receives is parsed in place and every benchmark message is
/// checked against its ledger (loss, duplicates, order) without allocating. The bytes come from the load generator's
/// io_uring receive engine (<see cref="UringReceiver"/>), or where that is not available from a receive loop of
/// its own; either way from one receive at a time, the only code that touches the ledger, so it needs no locks.
/// </summary>
internal sealed partial class BenchClient : IFrameSink, IReceiveTarget, IDisposable
{
    private const int BufferSize = 8192;

    // The largest frame a client takes: a web client's room message after its hello lists every member, about 10 KiB
    // at N = 1,000. A split frame is carried in BufferSize bytes, grown only for such a one.
    private const int MaxFrameSize = 1 << 20;
    private const uint MaxGap = 1_000_000;

    // Linux: bind picks the source address only, the port waits for connect, so many sockets may share an address.
    private const int IpProtocolIp = 0;
    private const int IpBindAddressNoPort = 24;
    private const int SolSocket = 1;
    private const int SoSendTimeout = 21;

    /// <summary>How long a blocking connect may wait (Linux applies SO_SNDTIMEO to connect).</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly FrameParser _parser;
    private readonly FanoutRun? _run;
    private readonly ReadOnlyMemory<byte> _welcomeReply;
    private readonly uint[]? _next;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _receiveEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HashSet<ulong>? _missing;
    private byte[]? _carry; // the start of a frame the last bytes ended in; rented only while there is one
    private int _carried;
    private long _receivedAt;
    private long _readAt;
    private ThreadTally? _tally;
    private volatile bool _disposed;

    private BenchClient(Socket socket, FrameParser parser, FanoutRun? run, int ownSender, int node, int room = -1, ReadOnlyMemory<byte> welcomeReply = default)
    {
        Node = node;
        Room = room;
        _socket = socket;
        _parser = parser;
        _run = run;
        _welcomeReply = welcomeReply;

        // In rooms, a receiver hears only its room's senders: one ledger slot each, not one per sender of the run.
        _next = run is null ? null : new uint[run.Rooms?.MaxSendersPerRoom ?? run.Senders];
        OwnSender = ownSender;
        Completion = Task.CompletedTask;
    }

    public Socket Socket => _socket;

    /// <summary>The cluster node this client is connected to (0 for a single server).</summary>
    public int Node { get; }

    /// <summary>The room this client is a member of in a rooms run (<see cref="FanoutRun.Rooms"/>); -1 otherwise.</summary>
    public int Room { get; }

    /// <summary>The sender this client is (CatChat), whose own messages it never receives; -1 for none.</summary>
    public int OwnSender { get; }

    /// <summary>Benchmark messages received for the first time.</summary>
    public long Unique { get; private set; }

    public long Duplicates { get; private set; }

    /// <summary>Messages that arrived after a later message of the same sender.</summary>
    public long Reorders { get; private set; }

    /// <summary>
    /// Rooms: messages of this run from a sender of another room, or that came as a line of a room other than the
    /// client's current one. Never counted as deliveries.
    /// </summary>
    public long Misrouted { get; private set; }

    /// <summary>Messages of this run that could not be read, had the wrong size, or named no known sender.</summary>
    public long Malformed { get; private set; }

    /// <summary>Set when the connection ended before the tool closed it, or its loop failed.</summary>
    public string? Failure { get; private set; }

    public Task Ready => _ready.Task;

    public Task Completion { get; private set; }

    /// <summary>
    /// Connects, starts reading, sends the join request and waits until the server has taken the client in. An IRC
    /// client's join request registers it; <paramref name="welcomeReply"/> (its JOIN) follows once the server welcomes it.
    /// </summary>
    public static async Task<BenchClient> ConnectAsync(
        IPEndPoint endPoint, IPAddress? source, FrameParser parser, ReadOnlyMemory<byte> joinRequest, bool waitForReady,
        FanoutRun? run, int ownSender, CancellationToken cancellationToken, int node = 0, int room = -1, ReadOnlyMemory<byte> welcomeReply = default)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var client = new BenchClient(socket, parser, run, ownSender, node, room, welcomeReply);
        try
        {
            if (source is not null)
            {
                socket.SetRawSocketOption(IpProtocolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
                socket.Bind(new IPEndPoint(source, 0));
            }

            if (UringReceiver.Shared is not null)
            {
                ConnectBlocking(socket, endPoint, cancellationToken);
            }
            else
            {
                await socket.ConnectAsync(endPoint, cancellationToken);
            }

            client.StartReceiving();
            if (!joinRequest.IsEmpty)
            {
                await socket.SendAsync(joinRequest, SocketFlags.None, cancellationToken);
            }

            if (waitForReady)
            {
                await client.Ready.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Checks one benchmark message against this client's ledger and hands a first arrival to the run.</summary>
    public void OnPayload(ReadOnlySpan<byte> text)
    {
        if (_run is null || _next is null)
        {
            return;
        }

        if (!BenchPayload.TryRead(text, out var runId, out var sender, out var sequence, out var sentAt))
        {
            Malformed++;
            return;
        }

        if (runId != _run.Id)
        {
            return; // an earlier run's message on a server this tool did not start
        }

        if (sender == OwnSender && _run.EchoesToSender)
        {
            return;
        }

        if (text.Length != _run.Size || sender >= _run.Senders || sender == OwnSender)
        {
            Malformed++;
            return;
        }

        var slot = sender;
        if (_run.Rooms is { } rooms)
        {
            if (rooms.RoomOf(sender) != Room)
            {
                Misrouted++;
                return;
            }

            slot = rooms.SlotOf(sender);
        }

        var expected = _next[slot];
        if (sequence == expected)
        {
            _next[slot] = sequence + 1;
        }
        else if (sequence - expected > MaxGap)
        {
            Malformed++; // a sequence number no sender has reached: a corrupted message, not a gap
            return;
        }
        else if (sequence > expected)
        {
            // A gap: remember what is missing, so a late arrival is told apart from a duplicate.
            _missing ??= [];
            for (var missing = expected; missing < sequence; missing++)
            {
                _missing.Add(Key(sender, missing));
            }

            _next[slot] = sequence + 1;
        }
        else if (_missing?.Remove(Key(sender, sequence)) == true)
        {
            Reorders++;
        }
        else
        {
            Duplicates++;
            return;
        }

        Unique++;
        _run.Delivered(_tally ??= _run.TallyOfThisThread, sender, sequence, sentAt, _receivedAt, _readAt, Node);
    }

    public void OnReady() => _ready.TrySetResult();

    /// <summary>A message of this run as a line of a room the client is not looking at: it joined only its own room, so misrouted.</summary>
    public void OnPayloadFromRoom(ReadOnlySpan<byte> room, ReadOnlySpan<byte> text)
    {
        if (_run is not null && BenchPayload.TryRead(text, out var runId, out _, out _, out _) && runId == _run.Id)
        {
            Misrouted++;
        }
    }

    /// <summary>The server refused the join: the client is not taken in, and says why.</summary>
    public void OnRefused(ReadOnlySpan<byte> line) =>
        _ready.TrySetException(new IOException("refused: " + System.Text.Encoding.UTF8.GetString(line)));

    /// <summary>
    /// Parses the bytes of one receive, which reached the socket at <paramref name="receivedAt"/> and were read at
    /// <paramref name="readAt"/> (<see cref="Stopwatch"/> ticks; the time of reading when it is not given).
    /// Frames are parsed where they lie; only a frame split between receives is copied, into a carry buffer that is
    /// rented while it holds one.
    /// </summary>
    /// <exception cref="InvalidDataException">A frame longer than 1 MiB, or one the parser rejects.</exception>
    public void Consume(ReadOnlySpan<byte> data, long receivedAt, long? readAt = null)
    {
        _receivedAt = receivedAt;
        _readAt = readAt ?? receivedAt;
        while (_carry is not null && !data.IsEmpty)
        {
            var carried = _carried;
            var taken = Math.Min(data.Length, _carry.Length - carried);
            data[..taken].CopyTo(_carry.AsSpan(carried));
            var used = _parser(_carry.AsSpan(0, carried + taken), this);
            if (used >= carried)
            {
                // The carried frame is complete: what follows it is parsed from the received bytes themselves.
                ReturnCarry();
                data = data[(used - carried)..];
                break;
            }

            if (used == 0 && carried + taken == _carry.Length)
            {
                if (_carry.Length >= MaxFrameSize)
                {
                    throw FrameTooLong();
                }

                GrowCarry(carried + taken);
                data = data[taken..];
                _carried = carried + taken;
                continue;
            }

            _carried = carried + taken - used;
            _carry.AsSpan(used, _carried).CopyTo(_carry);
            data = data[taken..];
        }

        if (_carry is not null || data.IsEmpty)
        {
            return;
        }

        var consumed = _parser(data, this);
        var rest = data[consumed..];
        if (rest.IsEmpty)
        {
            return;
        }

        if (rest.Length >= MaxFrameSize)
        {
            throw FrameTooLong();
        }

        _carry = ArrayPool<byte>.Shared.Rent(Math.Max(BufferSize, rest.Length * 2));
        rest.CopyTo(_carry);
        _carried = rest.Length;
    }

    bool IReceiveTarget.OnReceived(ReadOnlySpan<byte> data, long receivedAt, long readAt)
    {
        try
        {
            Consume(data, receivedAt, readAt);
            return true;
        }
        catch (InvalidDataException ex)
        {
            Failure = ex.Message;
            return false;
        }
    }

    void IReceiveTarget.OnReceiveEnded(string? failure)
    {
        if (!_disposed)
        {
            Failure ??= failure is null ? "the server closed the connection" : "connection lost: " + failure;
        }

        ReceiveEnded();
        _receiveEnded.TrySetResult();
    }

    public void Dispose()
    {
        _disposed = true;
        try
        {
            // An armed io_uring receive holds the socket's file, so closing the descriptor would not end the
            // connection: the shutdown does, and ends that receive (or the receive loop's) with the end of the stream.
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Never connected, or already gone.
        }

        _socket.Dispose();
    }

    /// <summary>A client without a connection, whose bytes are given to <see cref="Consume"/> directly (tests).</summary>
    internal static BenchClient Unconnected(FrameParser parser, FanoutRun? run, int ownSender = -1, int room = -1) =>
        new(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), parser, run, ownSender, node: 0, room);

    /// <summary>
    /// Connects without .NET's socket engine. A connect that has to wait (on loopback, every one) registers the socket
    /// with the engine's epoll, which from then on wakes for every arrival although nothing there receives: at 50,000
    /// deliveries/s its two threads took as much CPU as the io_uring receives. A blocking connect registers nothing, and
    /// the sends that follow (SendAsync) register only if one ever has to wait for room.
    /// </summary>
    private static void ConnectBlocking(Socket socket, IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // struct timeval: seconds, microseconds. SendAsync makes the descriptor non-blocking, so no send ever waits for it.
        Span<long> timeout = [(long)ConnectTimeout.TotalSeconds, 0];
        socket.SetRawSocketOption(SolSocket, SoSendTimeout, MemoryMarshal.AsBytes(timeout));
        try
        {
            socket.Connect(endPoint);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.InProgress or SocketError.WouldBlock)
        {
            throw new TimeoutException($"not connected within {ConnectTimeout.TotalSeconds:0} s", ex);
        }
    }

    private static ulong Key(int sender, uint sequence) => ((ulong)sender << 32) | sequence;

    private static InvalidDataException FrameTooLong() => new($"a frame longer than {MaxFrameSize} bytes");

    // A frame longer than the carry buffer: twice the room, what it holds kept.
    private void GrowCarry(int held)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxFrameSize, _carry!.Length * 2));
        _carry.AsSpan(0, held).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_carry);
        _carry = larger;
    }

    private void StartReceiving()
    {
        if (UringReceiver.Shared is { } receiver && receiver.TryAdd(this, _socket.SafeHandle))
        {
            Completion = _receiveEnded.Task;
        }
        else
        {
            Completion = ReceiveLoopAsync();
        }
    }

    // The fallback where io_uring is not available: .NET's receive, one read at a time.
    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer.AsMemory(0, BufferSize), SocketFlags.None);
                if (read == 0)
                {
                    if (!_disposed)
                    {
                        Failure = "the server closed the connection";
                    }

                    return;
                }

                _tally = null; // This read's messages may be parsed on another thread than the last one's.

                // One timestamp per read: every message in it arrived by now.
                Consume(buffer.AsSpan(0, read), Stopwatch.GetTimestamp());
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            if (!_disposed)
            {
                Failure = "connection lost: " + ex.Message;
            }
        }
        catch (InvalidDataException ex)
        {
            Failure = ex.Message;
        }
        finally
        {
            ReceiveEnded();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ReceiveEnded()
    {
        _ready.TrySetException(new IOException(Failure ?? "closed before the server took the client in"));
        ReturnCarry();
    }

    private void ReturnCarry()
    {
        if (_carry is not null)
        {
            ArrayPool<byte>.Shared.Return(_carry);
            _carry = null;
            _carried = 0;
        }
    }
}
