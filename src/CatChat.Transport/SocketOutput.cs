using System.IO.Pipelines;

namespace CatChat.Transport;

/// <summary>
/// The write side of a <see cref="SocketConnection"/> as a <see cref="System.IO.Pipelines.PipeWriter"/>: the talk's
/// Transport. It sends as every <see cref="StagedSendWriter"/> does; a full kernel buffer makes it wait for the
/// reactor to report room. Between flushes an idle connection holds no buffer.
/// </summary>
internal sealed class SocketOutput(SocketHandle handle) : StagedSendWriter(handle)
{
    private int _readiness;
    private TaskCompletionSource? _writable;

    public override void CancelPendingFlush() =>
        throw new NotSupportedException("Flushes are cancelled with a CancellationToken instead.");

    /// <summary>The reactor saw room in the kernel's send buffer (or a hang-up, which the next send reports).</summary>
    internal void OnWritable()
    {
        if (Readiness.Signal(ref _readiness))
        {
            _writable!.TrySetResult();
        }
    }

    /// <summary>The connection was closed: a waiting flush gives up.</summary>
    internal void OnAborted()
    {
        MarkAborted();
        OnWritable();
    }

    protected override void BeforeSend() => Volatile.Write(ref _readiness, Readiness.Trying);

    protected override async ValueTask<FlushResult> SendWhenWritableAsync(int sent, CancellationToken cancellationToken)
    {
        try
        {
            while (sent < GatheredBytes && !Completed)
            {
                // Parked only if no event came since the send that found the buffer full; else try again at once.
                var writable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _writable = writable;
                if (Readiness.TryPark(ref _readiness))
                {
                    await writable.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                if (Aborted)
                {
                    Completed = true;
                    break;
                }

                sent = SendWithoutWaiting(sent);
            }
        }
        finally
        {
            _writable = null;
            ReleaseGathered();
        }

        return new FlushResult(isCanceled: false, isCompleted: Completed);
    }
}
