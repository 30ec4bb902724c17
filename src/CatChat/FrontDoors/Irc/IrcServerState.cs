using System.Collections.Concurrent;
using CatChat.Chat;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// What this node's IRC sessions share beyond the chat itself: how many IRC operators there are (LUSERS' 252) and who
/// takes WALLOPS (+w).
/// One per node, held by the <see cref="IrcConnectionHandler"/>; every member is thread-safe.
/// </summary>
internal sealed class IrcServerState
{
    private readonly ConcurrentDictionary<ChatMember, byte> _wallopsReaders = new();
    private int _operators;

    /// <summary>This node's IRC operators.</summary>
    public int Operators => Volatile.Read(ref _operators);

    public void OperatorAdded() => Interlocked.Increment(ref _operators);

    public void OperatorRemoved() => Interlocked.Decrement(ref _operators);

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
