using System.Collections.Concurrent;
using CatChat.Chat;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// What this node's IRC sessions share beyond the chat itself: how many connections have not registered yet and how
/// many IRC operators there are (LUSERS' 253 and 252), the most users seen (266), who takes WALLOPS (+w), and who
/// MONITORs whom. One per node, held by the <see cref="IrcConnectionHandler"/>; every member is thread-safe.
/// </summary>
internal sealed class IrcServerState(ChatEventHub events)
{
    private readonly ConcurrentDictionary<ChatMember, byte> _wallopsReaders = new();
    private int _unregistered;
    private int _operators;
    private int _globalPeak;

    public IrcMonitors Monitors { get; } = new(events);

    /// <summary>IRC connections that have not registered (NICK and USER) yet.</summary>
    public int Unregistered => Volatile.Read(ref _unregistered);

    /// <summary>This node's IRC operators.</summary>
    public int Operators => Volatile.Read(ref _operators);

    public void ConnectionOpened() => Interlocked.Increment(ref _unregistered);

    /// <summary>An unregistered connection registered or closed.</summary>
    public void UnregisteredEnded() => Interlocked.Decrement(ref _unregistered);

    public void OperatorAdded() => Interlocked.Increment(ref _operators);

    public void OperatorRemoved() => Interlocked.Decrement(ref _operators);

    /// <summary>
    /// The most users of the chat seen at once: <paramref name="now"/> is counted, as is this node's own peak. Other
    /// nodes' users are counted when LUSERS is asked, so a cluster's peak between two LUSERS may be missed.
    /// </summary>
    public int GlobalPeak(int now, int localPeak)
    {
        var seen = Math.Max(now, localPeak);
        var peak = Volatile.Read(ref _globalPeak);
        while (seen > peak)
        {
            var before = Interlocked.CompareExchange(ref _globalPeak, seen, peak);
            if (before == peak)
            {
                return seen;
            }

            peak = before;
        }

        return peak;
    }

    /// <summary>Whether <paramref name="member"/> takes WALLOPS without being an operator (user mode +w).</summary>
    public bool ReadsWallops(ChatMember member) => _wallopsReaders.ContainsKey(member);

    public void SetReadsWallops(ChatMember member, bool reads)
    {
        if (reads)
        {
            _wallopsReaders.TryAdd(member, 0);
        }
        else
        {
            _wallopsReaders.TryRemove(member, out _);
        }
    }
}
