namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// One writer at a time on a connection: the session's frames or the WebSocket object's (a pong, the close). Taken
/// and let go once per delivery, so the uncontended way is one compare-and-swap each (a <see cref="SemaphoreSlim"/>
/// takes a monitor on both); only a party that finds it held queues, and the one letting go hands it straight over.
/// </summary>
internal sealed class WriteGate
{
    private readonly Queue<TaskCompletionSource> _waiters = new(); // Under _waitersLock.
    private readonly Lock _waitersLock = new();
    private int _held;
    private int _waiting; // Parties that found it held and have queued or are about to.

    public bool IsHeld => Volatile.Read(ref _held) == 1;

    /// <summary>Takes it if nobody holds it.</summary>
    public bool TryEnter() => Interlocked.CompareExchange(ref _held, 1, 0) == 0;

    /// <summary>Takes it when it is free; a cancelled wait leaves it to the others.</summary>
    public ValueTask EnterAsync(CancellationToken cancellationToken = default) =>
        TryEnter() ? default : new ValueTask(EnterQueuedAsync(cancellationToken));

    /// <summary>Lets it go, to the longest waiter if there is one.</summary>
    public void Exit()
    {
        Interlocked.Exchange(ref _held, 0);

        // The exchange and a waiter's increment are both full fences: either the waiter's own attempt finds it free
        // or this read sees the waiter.
        if (Volatile.Read(ref _waiting) != 0)
        {
            HandOver();
        }
    }

    private async Task EnterQueuedAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_waitersLock)
        {
            Interlocked.Increment(ref _waiting);
            if (TryEnter())
            {
                Interlocked.Decrement(ref _waiting);
                return;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        using (cancellationToken.UnsafeRegister(static (state, token) => ((TaskCompletionSource)state!).TrySetCanceled(token), waiter))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }

    // Takes the gate on a waiter's behalf and gives it to the first one still waiting; gives it back if none is.
    private void HandOver()
    {
        lock (_waitersLock)
        {
            while (_waiters.Count > 0)
            {
                if (!TryEnter())
                {
                    return; // Someone took it meanwhile: their Exit hands it on.
                }

                var waiter = _waiters.Dequeue();
                Interlocked.Decrement(ref _waiting);
                if (waiter.TrySetResult())
                {
                    return;
                }

                Interlocked.Exchange(ref _held, 0); // That one was cancelled: try the next.
            }
        }
    }
}
