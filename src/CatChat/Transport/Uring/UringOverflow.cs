using System.Net;
using System.Net.Sockets;
using CatChat.Hosting;
using Microsoft.Extensions.Logging;

namespace CatChat.Transport.Uring;

/// <summary>
/// When the chat port's connections go to io_uring rings rather than the epoll reactor: from the start with
/// <c>--chat-transport io_uring</c>; with <c>auto</c>, once an accepted descriptor's number says the table is within
/// <see cref="DescriptorHeadroom"/> of the open-files limit (and only where the chat may admit that many). Once
/// started, the rings accept for as long as the chat runs.
/// </summary>
internal sealed class UringOverflow(
    CatChatOptions options,
    Action<ChatSocketConnection> accepted,
    Action<ChatSocketConnection> sessionEnded,
    ILogger logger) : IDisposable
{
    // Descriptors the process keeps for everything but chat connections (database, HTTP, logs, the runtime: its
    // garbage collector reads /proc/meminfo and fails the process when it cannot).
    private const int DescriptorHeadroom = 512;

    private readonly Lock _gate = new();
    private readonly long _threshold = ThresholdFor(options);
    private UringAcceptors? _acceptors;
    private bool _stopped;

    public bool Accepting { get; private set; }

    /// <summary>Why the rings could not be made (the kernel's refusal, such as a seccomp filter's EPERM), once that failed.</summary>
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

            if (UnavailableReason is not null || _stopped)
            {
                return false;
            }

            try
            {
                var beyondDescriptors = options.ChatTransport == "io_uring" ? options.MaxConnections : options.MaxConnections - _threshold;
                _acceptors = UringAcceptors.Create(
                    (int)Math.Max(1, beyondDescriptors),
                    accepted,
                    ex => TransportLog.AcceptFailed(logger, (ex as SocketException)?.SocketErrorCode ?? SocketError.SocketError, ex),
                    sessionEnded);
            }
            catch (IOException ex)
            {
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

    private static long ThresholdFor(CatChatOptions options)
    {
        var threshold = UringAcceptors.OpenFilesLimit() - DescriptorHeadroom;
        return options.ChatTransport == "auto" && options.MaxConnections > threshold ? threshold : long.MaxValue;
    }
}
