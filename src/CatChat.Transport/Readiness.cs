namespace CatChat.Transport;

/// <summary>
/// Where one direction of a socket stands between the reactor and the one operation that may wait on it.
/// The operation marks <see cref="Trying"/> before each attempt, and parks (<see cref="Waiting"/>) only if no
/// event came in between; the reactor marks <see cref="Ready"/> and wakes the operation only if it had parked.
/// So an edge-triggered event is never lost, and nobody is woken twice.
/// </summary>
internal static class Readiness
{
    public const int Trying = 0;
    public const int Waiting = 1;
    public const int Ready = 2;

    /// <summary>The reactor's side: true when an operation was parked and must now be resumed.</summary>
    public static bool Signal(ref int state) => Interlocked.Exchange(ref state, Ready) == Waiting;

    /// <summary>The operation's side after an attempt found nothing: true when parked, false to try again at once.</summary>
    public static bool TryPark(ref int state) => Interlocked.CompareExchange(ref state, Waiting, Trying) == Trying;
}
