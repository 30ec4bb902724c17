using System.Net;

namespace CatChat.Api;

/// <summary>
/// Slows down token guessing: an address with too many failed attempts inside the window is refused
/// (429) until the window has passed.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, (int Failures, DateTimeOffset WindowStart)> _byAddress = [];

    /// <summary>How long the address must wait before trying again; zero when it may try now.</summary>
    public TimeSpan RetryAfter(IPAddress? address)
    {
        if (address is null)
        {
            return TimeSpan.Zero;
        }

        lock (_gate)
        {
            if (!_byAddress.TryGetValue(address, out var entry))
            {
                return TimeSpan.Zero;
            }

            var remaining = entry.WindowStart + Window - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                _byAddress.Remove(address);
                return TimeSpan.Zero;
            }

            return entry.Failures >= MaxFailures ? remaining : TimeSpan.Zero;
        }
    }

    public void RecordFailure(IPAddress? address)
    {
        if (address is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_byAddress.TryGetValue(address, out var entry) && entry.WindowStart + Window > now)
            {
                _byAddress[address] = (entry.Failures + 1, entry.WindowStart);
            }
            else
            {
                _byAddress[address] = (1, now);
            }

            // Forget stale addresses now and then so a scan from many addresses cannot grow the table forever.
            if (_byAddress.Count > 10_000)
            {
                foreach (var stale in _byAddress.Where(e => e.Value.WindowStart + Window <= now).Select(e => e.Key).ToList())
                {
                    _byAddress.Remove(stale);
                }
            }
        }
    }
}
