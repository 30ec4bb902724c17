namespace CatChat.Chat;

/// <summary>
/// A thread's fan-out in progress. A recipient's outbox asks for a flush at its first queued line; started at once,
/// the flush would wake a thread-pool worker that sends the few outboxes queued so far and sleeps again, many times
/// per broadcast, and on a busy core each wake-up is a switch away from the broadcast and back. Inside a batch the
/// flushes asked for are started at its end instead, each once. Per thread, no locks; batches nest, and a batch is
/// never held across an await (its end would come on another thread).
/// </summary>
public static class DeliveryBatch
{
    [ThreadStatic]
    private static int t_depth;

    [ThreadStatic]
    private static List<IDeferredFlush>? t_pending;

    /// <summary>Flushes this thread's batch will start at its end.</summary>
    internal static int Deferred => t_pending?.Count ?? 0;

    /// <summary>Defers this thread's flushes until the outermost scope is disposed.</summary>
    public static Scope Begin()
    {
        t_depth++;
        return default;
    }

    /// <summary>True when <paramref name="flush"/> will be started at the end of this thread's batch; false outside one.</summary>
    public static bool TryDefer(IDeferredFlush flush)
    {
        if (t_depth == 0)
        {
            return false;
        }

        (t_pending ??= []).Add(flush);
        return true;
    }

    private static void End()
    {
        if (--t_depth > 0 || t_pending is not { Count: > 0 } pending)
        {
            return;
        }

        foreach (var flush in pending)
        {
            flush.Start();
        }

        pending.Clear();
    }

    /// <summary>Ends the batch it began.</summary>
    public readonly struct Scope : IDisposable
    {
        public void Dispose() => End();
    }
}
