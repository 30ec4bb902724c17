using System.IO.Pipelines;

namespace CatChat.Transport;

/// <summary>
/// A parked read that a <see cref="CancellationToken"/> may end, for readers whose waiting costs nothing until
/// then: the token's registration lives only as long as the read, and a cancel ends it the way
/// <see cref="PipeReader.CancelPendingRead"/> does before it turns into the token's exception.
/// </summary>
internal static class CancellableRead
{
    public static async ValueTask<ReadResult> WaitAsync(PipeReader reader, ValueTask<ReadResult> read, CancellationToken cancellationToken)
    {
        ReadResult result;
        using (cancellationToken.UnsafeRegister(static reader => ((PipeReader)reader!).CancelPendingRead(), reader))
        {
            result = await read.ConfigureAwait(false);
        }

        if (result.IsCanceled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return result;
    }
}
