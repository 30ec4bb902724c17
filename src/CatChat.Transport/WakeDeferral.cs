namespace CatChat.Transport;

/// <summary>A thread that another one serves on request (an io_uring ring's thread), woken with a system call.</summary>
internal interface IWakeable
{
    void Wake();
}

/// <summary>
/// While a thread gathers sends (<see cref="SendCoalescer"/>), the wake-ups its flushes ask for are gathered too and
/// made once, at the end: flushing a thousand io_uring connections then wakes their ring once, not a thousand times (each wake-up is a
/// write to an eventfd and, on a busy core, a switch to the ring's thread and back). Per thread, no locks.
/// </summary>
internal static class WakeDeferral
{
    [ThreadStatic]
    private static List<IWakeable>? t_pending;

    [ThreadStatic]
    private static bool t_active;

    /// <summary>Gathers this thread's wake-ups until the scope is disposed. Scopes do not nest.</summary>
    public static Scope Begin()
    {
        t_active = true;
        return default;
    }

    /// <summary>True when the wake-up of <paramref name="target"/> was put off to the end of this thread's scope.</summary>
    public static bool TryDefer(IWakeable target)
    {
        if (!t_active)
        {
            return false;
        }

        var pending = t_pending ??= [];
        if (!pending.Contains(target))
        {
            pending.Add(target);
        }

        return true;
    }

    /// <summary>Ends this thread's scope and makes the wake-ups it put off.</summary>
    public static void End()
    {
        t_active = false;
        if (t_pending is not { Count: > 0 } pending)
        {
            return;
        }

        foreach (var target in pending)
        {
            target.Wake();
        }

        pending.Clear();
    }

    public readonly struct Scope : IDisposable
    {
        public void Dispose() => End();
    }
}
