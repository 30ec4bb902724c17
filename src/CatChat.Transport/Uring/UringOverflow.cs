using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace CatChat.Transport.Uring;

/// <summary>
/// When a listener's connections go to io_uring rings rather than the epoll reactor: from the start in
/// <see cref="SocketTransportMode.IoUring"/> mode; in <see cref="SocketTransportMode.Auto"/>, once an accepted
/// descriptor's number says the table is within <see cref="DescriptorHeadroom"/> of the open-files limit (and only
/// where the application may admit that many). Once started, the rings accept for as long as the transport runs.
/// </summary>
internal sealed class UringOverflow(
    SocketTransportOptions options,
    Action<TransportConnection> accepted,
    Action<TransportConnection> disposed,
    ILogger logger) : IDisposable
{
    // Descriptors the process keeps for everything but these connections (database, HTTP, logs, the runtime: its
    // garbage collector reads /proc/meminfo and fails the process when it cannot).
    private const int DescriptorHeadroom = 512;

    private readonly Lock _gate = new();
    private readonly long _threshold = ThresholdFor(options);
    private UringAcceptors? _acceptors;
    private bool _unavailable;
    private bool _stopped;

    public bool Accepting { get; private set; }

    /// <summary>Why the rings could not be made, once that has happened.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>In auto mode: true when the accepted descriptor <paramref name="fd"/> leaves too little headroom.</summary>
    public bool IsDue(int fd) => fd >= _threshold;

    /// <summary>Makes the rings (while the headroom still has the few descriptors each needs) and starts them accepting.</summary>
    public bool TryStart(Socket listener, EndPoint? localEndPoint)
    {
        lock (_gate)
        {
            if (Accepting)
            {
                return true;
            }

            if (_unavailable || _stopped)
            {
                return false;
            }

            try
            {
                var beyondDescriptors = options.Mode == SocketTransportMode.IoUring ? options.MaxConnections : options.MaxConnections - _threshold;
                _acceptors = UringAcceptors.Create(
                    (int)Math.Max(1, beyondDescriptors),
                    accepted,
                    ex => TransportLog.AcceptFailed(logger, (ex as SocketException)?.SocketErrorCode ?? SocketError.SocketError, ex),
                    disposed);
            }
            catch (IOException ex)
            {
                _unavailable = true;
                UnavailableReason = ex.GetBaseException().Message;
                TransportLog.UringUnavailable(logger, ex.Message);
                return false;
            }

            Accepting = true;
            TransportLog.UringStarted(logger, _acceptors.Rings, _acceptors.PerRing);
            _acceptors.StartAccepting((int)listener.Handle, localEndPoint);
            return true;
        }
    }

    public void StopAccepting()
    {
        lock (_gate)
        {
            _stopped = true;
            _acceptors?.StopAccepting();
        }
    }

    public void Dispose() => _acceptors?.Dispose();

    private static long ThresholdFor(SocketTransportOptions options)
    {
        var threshold = UringAcceptors.OpenFilesLimit() - DescriptorHeadroom;
        return options.Mode == SocketTransportMode.Auto && options.MaxConnections > threshold ? threshold : long.MaxValue;
    }
}
