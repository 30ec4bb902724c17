namespace CatChat.Bench.Scenarios;

/// <summary>
/// A closed-loop sender's window: for each of its last W messages, how many receivers have yet to get it. Message
/// n may go only once message n - W has reached every receiver, so at most W are in flight.
/// </summary>
internal sealed class SenderWindow(int size)
{
    private readonly int[] _pending = new int[size];
    private readonly SemaphoreSlim _freed = new(0);

    /// <summary>Waits until the slot of <paramref name="sequence"/> is free; false when it stayed taken for <paramref name="stall"/>.</summary>
    public async Task<bool> WaitForSlotAsync(uint sequence, TimeSpan stall, CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _pending[sequence % _pending.Length]) != 0)
        {
            if (!await _freed.WaitAsync(stall, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Marks <paramref name="sequence"/> as on its way to <paramref name="receivers"/> receivers (before it is sent).</summary>
    public void Claim(uint sequence, int receivers) => Volatile.Write(ref _pending[sequence % _pending.Length], receivers);

    /// <summary>One receiver got <paramref name="sequence"/>, for the first time.</summary>
    public void Acknowledge(uint sequence)
    {
        if (Interlocked.Decrement(ref _pending[sequence % _pending.Length]) == 0)
        {
            _freed.Release();
        }
    }
}
