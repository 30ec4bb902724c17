using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>
/// The shared state of the chat: who is here under which nickname, and broadcast to all of them.
/// Membership changes take a lock and publish a new snapshot array; broadcast reads the snapshot
/// without locking, encodes the line once and hands the same bytes to every recipient's outbox.
/// </summary>
public sealed class ChatRoom
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ChatMember> _byNick = new(StringComparer.OrdinalIgnoreCase);
    private ChatMember[] _members = [];
    private TaskCompletionSource? _emptied;

    public ChatRoom(NicknamePolicy nicknamePolicy, IReadOnlyList<string> banner)
    {
        NicknamePolicy = nicknamePolicy;
        Banner = banner;
    }

    public NicknamePolicy NicknamePolicy { get; }

    /// <summary>The lines every new connection is greeted with.</summary>
    public IReadOnlyList<string> Banner { get; set; }

    public IReadOnlyList<ChatMember> Members => Volatile.Read(ref _members);

    public int Count => Volatile.Read(ref _members).Length;

    /// <summary>True once shutdown has begun: no one new joins and departures are not announced.</summary>
    public bool IsShuttingDown { get; private set; }

    /// <summary>Adds a member under a fresh guest nickname; false when the server is shutting down.</summary>
    public bool TryJoin(ChatMember member)
    {
        lock (_gate)
        {
            if (IsShuttingDown)
            {
                return false;
            }

            member.Nick = PickGuestNick();
            _byNick.Add(member.Nick, member);
            _members = [.. _members, member];
            return true;
        }
    }

    /// <summary>Removes a member; no notice is sent here, the connection decides what to announce.</summary>
    public void Leave(ChatMember member)
    {
        lock (_gate)
        {
            if (!_byNick.Remove(member.Nick))
            {
                return;
            }

            _members = Array.FindAll(_members, m => !ReferenceEquals(m, member));
            if (_members.Length == 0)
            {
                _emptied?.TrySetResult();
            }
        }
    }

    /// <summary>Renames a member; returns why not, or null on success.</summary>
    public string? TryRename(ChatMember member, string newNick)
    {
        var invalid = NicknamePolicy.Validate(newNick);
        if (invalid is not null)
        {
            return invalid;
        }

        lock (_gate)
        {
            if (_byNick.TryGetValue(newNick, out var holder) && !ReferenceEquals(holder, member))
            {
                return $"the nickname {holder.Nick} is taken";
            }

            _byNick.Remove(member.Nick);
            member.Nick = newNick;
            _byNick.Add(newNick, member);
            return null;
        }
    }

    public ChatMember? Find(string nick)
    {
        lock (_gate)
        {
            return _byNick.GetValueOrDefault(nick);
        }
    }

    /// <summary>Sends one line to everyone but <paramref name="except"/>. Never waits for any recipient.</summary>
    public void Broadcast(string line, ChatMember? except = null)
    {
        var encoded = LineEncoder.Encode(line);
        foreach (var member in Volatile.Read(ref _members))
        {
            if (!ReferenceEquals(member, except))
            {
                member.Deliver(encoded);
            }
        }
    }

    /// <summary>Counts a chat line from <paramref name="sender"/> and broadcasts it to the others.</summary>
    public void Relay(ChatMember sender, string line)
    {
        sender.CountLineSent();
        Broadcast(line, sender);
    }

    /// <summary>
    /// Tells everyone the server is going away, asks every connection to close, and waits (bounded)
    /// until all have left.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan timeout)
    {
        ChatMember[] members;
        Task emptied;
        lock (_gate)
        {
            IsShuttingDown = true;
            members = _members;
            _emptied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (members.Length == 0)
            {
                _emptied.TrySetResult();
            }

            emptied = _emptied.Task;
        }

        var notice = LineEncoder.Encode(ChatLine.Notice("Server is shutting down. Goodbye!"));
        foreach (var member in members)
        {
            member.Deliver(notice);
            member.Disconnect("server shutting down");
        }

        await Task.WhenAny(emptied, Task.Delay(timeout)).ConfigureAwait(false);
    }

    private string PickGuestNick()
    {
        // Four digits while there is room, more digits once guests crowd them.
        for (var digits = 4; ; digits++)
        {
            var low = (int)Math.Pow(10, digits - 1);
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var nick = "guest-" + Random.Shared.Next(low, low * 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!_byNick.ContainsKey(nick))
                {
                    return nick;
                }
            }
        }
    }
}
