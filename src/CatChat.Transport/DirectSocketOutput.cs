using System.IO.Pipelines;
using System.Net.Sockets;

namespace CatChat.Transport;

/// <summary>
/// The write side of a connection Kestrel accepted, sent as CatChat's own sockets send (<see cref="StagedSendWriter"/>:
/// from the flushing thread, in a lane's batch when there is one), where Kestrel's output pipe would wake its sending
/// loop on another thread for every flush. A full kernel buffer makes a flush wait in the <see cref="Socket"/>'s own
/// asynchronous send. Flushes come one at a time: Kestrel's HTTP/1.1 output waits for each, and the web chat's
/// writers share one lock.
/// </summary>
internal sealed class DirectSocketOutput(Socket socket) : StagedSendWriter(socket.SafeHandle)
{
    private CancellationTokenSource? _waitingSend;

    /// <summary>Gives up a flush that is waiting for room in the kernel's buffer: it reports itself cancelled.</summary>
    public override void CancelPendingFlush() => Volatile.Read(ref _waitingSend)?.Cancel();

    protected override async ValueTask<FlushResult> SendWhenWritableAsync(int sent, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Volatile.Write(ref _waitingSend, waiting);
        try
        {
            while (sent < GatheredBytes)
            {
                sent += await socket.SendAsync(Gathered.AsMemory(sent, GatheredBytes - sent), SocketFlags.None, waiting.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // CancelPendingFlush: what was not sent goes with the flush; nothing can say how much of a frame left.
            return new FlushResult(isCanceled: true, isCompleted: false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Completed = true; // Reset, or closed under the send: nothing more reaches the peer.
        }
        finally
        {
            Volatile.Write(ref _waitingSend, null);
            ReleaseGathered();
        }

        return new FlushResult(isCanceled: false, isCompleted: Completed);
    }
}
