using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CatChat.Bench.Wire;

namespace CatChat.Bench.Scenarios;

/// <summary>
/// One client connection of the load generator. Its receive loop reads into one pooled buffer, parses frames in
/// place and checks every benchmark message against its ledger (loss, duplicates, order) without allocating.
/// The loop is the only code that touches the ledger, so it needs no locks.
/// </summary>
internal sealed class BenchClient : IFrameSink, IDisposable
{
    private const int BufferSize = 8192;
    private const uint MaxGap = 1_000_000;

    // Linux: bind picks the source address only, the port waits for connect, so many sockets may share an address.
    private const int IpProtocolIp = 0;
    private const int IpBindAddressNoPort = 24;

    private readonly Socket _socket;
    private readonly FrameParser _parser;
    private readonly FanoutRun? _run;
    private readonly uint[]? _next;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HashSet<ulong>? _missing;
    private long _receivedAt;
    private ThreadTally? _tally;
    private volatile bool _disposed;

    private BenchClient(Socket socket, FrameParser parser, FanoutRun? run, int ownSender, int node)
    {
        Node = node;
        _socket = socket;
        _parser = parser;
        _run = run;
        _next = run is null ? null : new uint[run.Senders];
        OwnSender = ownSender;
        Completion = Task.CompletedTask;
    }

    public Socket Socket => _socket;

    /// <summary>The cluster node this client is connected to (0 for a single server).</summary>
    public int Node { get; }

    /// <summary>The sender this client is (CatChat), whose own messages it never receives; -1 for none.</summary>
    public int OwnSender { get; }

    /// <summary>Benchmark messages received for the first time.</summary>
    public long Unique { get; private set; }

    public long Duplicates { get; private set; }

    /// <summary>Messages that arrived after a later message of the same sender.</summary>
    public long Reorders { get; private set; }

    /// <summary>Messages of this run that could not be read, had the wrong size, or named no known sender.</summary>
    public long Malformed { get; private set; }

    /// <summary>Set when the connection ended before the tool closed it, or its loop failed.</summary>
    public string? Failure { get; private set; }

    public Task Ready => _ready.Task;

    public Task Completion { get; private set; }

    /// <summary>Connects, starts reading, sends the join request and waits until the server has taken the client in.</summary>
    public static async Task<BenchClient> ConnectAsync(
        IPEndPoint endPoint, IPAddress? source, FrameParser parser, ReadOnlyMemory<byte> joinRequest, bool waitForReady,
        FanoutRun? run, int ownSender, CancellationToken cancellationToken, int node = 0)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var client = new BenchClient(socket, parser, run, ownSender, node);
        try
        {
            if (source is not null)
            {
                socket.SetRawSocketOption(IpProtocolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(endPoint, cancellationToken);
            client.Completion = client.ReceiveLoopAsync();
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

        if (text.Length != _run.Size || sender >= _run.Senders || sender == OwnSender)
        {
            Malformed++;
            return;
        }

        var expected = _next[sender];
        if (sequence == expected)
        {
            _next[sender] = sequence + 1;
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

            _next[sender] = sequence + 1;
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
        _run.Delivered(_tally ??= _run.TallyOfThisThread, sender, sequence, sentAt, _receivedAt, Node);
    }

    public void OnReady() => _ready.TrySetResult();

    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
    }

    private static ulong Key(int sender, uint sequence) => ((ulong)sender << 32) | sequence;

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var filled = 0;
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
                if (read == 0)
                {
                    if (!_disposed)
                    {
                        Failure = "the server closed the connection";
                    }

                    return;
                }

                // One timestamp per read: every message in it arrived by now.
                _receivedAt = Stopwatch.GetTimestamp();
                _tally = null; // This read's messages may be parsed on another thread than the last one's.
                filled += read;
                var used = _parser(buffer.AsSpan(0, filled), this);
                if (used == 0 && filled == buffer.Length)
                {
                    throw new InvalidDataException($"a frame longer than the {buffer.Length}-byte receive buffer");
                }

                if (used > 0 && used < filled)
                {
                    Buffer.BlockCopy(buffer, used, buffer, 0, filled - used);
                }

                filled -= used;
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
            _ready.TrySetException(new IOException(Failure ?? "closed before the server took the client in"));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
