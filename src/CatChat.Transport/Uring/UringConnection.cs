using System.IO.Pipelines;
using System.Net;
using System.Runtime.InteropServices;
using CatChat.Transport.Native;
using Microsoft.AspNetCore.Connections;

namespace CatChat.Transport.Uring;

/// <summary>
/// A connection whose socket is an io_uring direct descriptor: it lives in its ring's table, not in the
/// process's descriptor table, so connections past RLIMIT_NOFILE are still served. Every operation on it is
/// submitted by the ring's thread; other threads only ask for one (<see cref="Request"/>), which costs a flag and,
/// at most, one wake-up of that thread.
/// </summary>
internal sealed unsafe class UringConnection : TransportConnection
{
    private const int WantReceive = 1;
    private const int WantSend = 2;
    private const int WantClose = 4;
    private const int WantKeepAlive = 8;
    private const int ECANCELED = 125;
    private const int OptionCount = 5;

    private readonly UringReactor _reactor;
    private readonly int _descriptor;
    private readonly EndPoint? _localEndPoint;
    private readonly UringInput _input;
    private readonly UringOutput _output;
    private int _requests;
    private int _queued;
    private int _closed;
    private int _keepAliveIdle;
    private int _keepAliveInterval;
    private int _keepAliveProbes;
    private volatile bool _keepAliveEnabled;

    // The ring thread's own state.
    private int _outstanding;
    private bool _closeSubmitted;
    private bool _closeDone;
    private int* _options;

    public UringConnection(UringReactor reactor, int descriptor, SocketPeer peer, EndPoint? localEndPoint, Action<TransportConnection>? disposed)
        : base(peer, disposed)
    {
        _reactor = reactor;
        _descriptor = descriptor;
        _localEndPoint = localEndPoint;
        _input = new UringInput(RequestReceive);
        _output = new UringOutput(this);
    }

    /// <summary>This connection's place in its reactor's table, which names it in the user data of its operations.</summary>
    internal int Slot { get; set; } = -1;

    /// <summary>The listening address: a direct descriptor has no getsockname, and it is only logged.</summary>
    public override EndPoint? LocalEndPoint
    {
        get => _localEndPoint;
        set => throw new NotSupportedException("A socket connection's local address is fixed.");
    }

    public override bool KeepAliveEnabled => _keepAliveEnabled;

    internal UringOutput Output => _output;

    private protected override PipeReader InputPipe => _input;

    private protected override PipeWriter OutputPipe => _output;

    public override void EnableKeepAlive(int idleSeconds, int intervalSeconds, int probes)
    {
        _keepAliveIdle = idleSeconds;
        _keepAliveInterval = intervalSeconds;
        _keepAliveProbes = probes;
        Request(WantKeepAlive);
    }

    internal void RequestReceive() => Request(WantReceive);

    internal void RequestSend() => Request(WantSend);

    /// <summary>On the ring's thread, once accepted: TCP_NODELAY, and the first receive.</summary>
    internal void Start(UringRing ring)
    {
        _options = (int*)NativeMemory.AllocZeroed(OptionCount * sizeof(int));
        _options[0] = 1;
        SubmitOption(ring, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 0);
        if (_input.BeginReceiving())
        {
            SubmitReceive(ring);
        }
    }

    /// <summary>On the ring's thread: submits what other threads asked for since the last time.</summary>
    internal void ProcessRequests(UringRing ring)
    {
        // Cleared before the requests are read, so a request made meanwhile queues the connection again.
        Volatile.Write(ref _queued, 0);
        var wanted = Interlocked.Exchange(ref _requests, 0);
        if ((wanted & WantClose) != 0 && !_closeSubmitted)
        {
            _closeSubmitted = true;
            Sqe.ShutdownThen(ring.GetSqe(), _descriptor, UserData(UringReactor.KindShutdown));
            Sqe.CloseDirect(ring.GetSqe(), _descriptor, UserData(UringReactor.KindClose));
            _outstanding += 2;
        }

        if (_closeSubmitted)
        {
            if ((wanted & WantSend) != 0)
            {
                _output.OnSent(-ECANCELED);
            }

            return;
        }

        if ((wanted & WantKeepAlive) != 0)
        {
            _options[1] = 1;
            _options[2] = _keepAliveIdle;
            _options[3] = _keepAliveInterval;
            _options[4] = _keepAliveProbes;
            _keepAliveEnabled = true;
            SubmitOption(ring, Libc.SOL_SOCKET, Libc.SO_KEEPALIVE, 1);
            SubmitOption(ring, Libc.IPPROTO_TCP, Libc.TCP_KEEPIDLE, 2);
            SubmitOption(ring, Libc.IPPROTO_TCP, Libc.TCP_KEEPINTVL, 3);
            SubmitOption(ring, Libc.IPPROTO_TCP, Libc.TCP_KEEPCNT, 4);
        }

        if ((wanted & WantReceive) != 0)
        {
            SubmitReceive(ring);
        }

        if ((wanted & WantSend) != 0)
        {
            SubmitSend(ring);
        }
    }

    /// <summary>On the ring's thread: a receive that found no free buffer is tried again.</summary>
    internal void ResumeReceive(UringRing ring) => SubmitReceive(ring);

    /// <summary>On the ring's thread: one of this connection's operations completed. True once nothing more is in flight after the close.</summary>
    internal bool OnCompleted(UringRing ring, int kind, int result, uint flags)
    {
        _outstanding--;
        switch (kind)
        {
            case UringReactor.KindReceive:
                OnReceiveCompleted(ring, result, flags);
                break;
            case UringReactor.KindSend:
                if (_output.OnSent(result))
                {
                    if (_closeSubmitted)
                    {
                        _output.OnSent(-ECANCELED);
                    }
                    else
                    {
                        SubmitSend(ring);
                    }
                }

                break;
            case UringReactor.KindClose:
                _closeDone = true;
                _input.OnFailed(SocketErrors.Aborted(null));
                break;
            case UringReactor.KindOption when result < 0:
                // A kernel without socket commands: the options stay as the listener's were.
                _keepAliveEnabled = false;
                break;
        }

        if (_closeDone && _outstanding == 0)
        {
            if (_options is not null)
            {
                NativeMemory.Free(_options);
                _options = null;
            }

            return true;
        }

        return false;
    }

    /// <summary>The ring is gone: everything that waits on this connection gives up.</summary>
    internal void OnRingClosed()
    {
        _output.OnAborted();
        _input.OnFailed(SocketErrors.Aborted(null));
    }

    private void Request(int what)
    {
        Interlocked.Or(ref _requests, what);
        if (Interlocked.Exchange(ref _queued, 1) == 0)
        {
            _reactor.Enqueue(this);
        }
    }

    private protected override void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        // Waiters learn of the abort first, so the hang-up the shutdown causes does not read as the peer's end.
        _input.OnFailed(SocketErrors.Aborted(null));
        _output.OnAborted();
        Request(WantClose);
    }

    private void OnReceiveCompleted(UringRing ring, int result, uint flags)
    {
        var hasBuffer = (flags & IoUring.CqeFlagBuffer) != 0;
        var buffer = (ushort)(flags >> IoUring.CqeBufferShift);
        if (result >= 0)
        {
            var again = _input.OnReceived(hasBuffer ? ring.Buffer(buffer, result) : default);
            if (again && !_closeSubmitted)
            {
                SubmitReceive(ring);
            }
        }
        else if (result == -Libc.ENOBUFS)
        {
            _input.OnStarved();
            _reactor.Starved(this);
        }
        else
        {
            _input.OnFailed(result == -ECANCELED ? SocketErrors.Aborted(null) : SocketErrors.FromErrno(-result));
        }

        // The bytes were copied out: the buffer goes straight back to the kernel.
        if (hasBuffer)
        {
            ring.AddBuffer(buffer);
        }
    }

    private void SubmitReceive(UringRing ring)
    {
        if (_closeSubmitted)
        {
            return;
        }

        Sqe.Receive(ring.GetSqe(), _descriptor, UserData(UringReactor.KindReceive));
        _outstanding++;
    }

    private void SubmitSend(UringRing ring)
    {
        if (_output.TryNextSend(out var bytes, out var length))
        {
            Sqe.Send(ring.GetSqe(), _descriptor, bytes, length, UserData(UringReactor.KindSend));
            _outstanding++;
        }
    }

    private void SubmitOption(UringRing ring, int level, int name, int valueIndex)
    {
        Sqe.SetSocketOption(ring.GetSqe(), _descriptor, level, name, _options + valueIndex, UserData(UringReactor.KindOption));
        _outstanding++;
    }

    private ulong UserData(int kind) => UringReactor.UserData(Slot, kind);
}
