using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.Chat;

/// <summary>
/// The shared state of the chat: who is here under which nickname, and broadcast to all of them.
/// A broadcast walks the <see cref="MemberList"/>'s shared snapshot without locking, encodes the line once
/// and hands the same bytes to every recipient's outbox. Shutting down is in ChatRoom.Shutdown.cs.
/// With a backplane, what happens here is also published to the other nodes (never waiting for them),
/// and what they report is applied in ChatRoom.Cluster.cs.
/// </summary>
public sealed partial class ChatRoom
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ChatMember> _byNick = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;
    private readonly MemberList _members = new();
    private BannerText _banner;
    private readonly IHistorySink? _history;
    private TaskCompletionSource? _emptied;

    public ChatRoom(
        NicknamePolicy nicknamePolicy,
        BannerText banner,
        TimeProvider? time = null,
        ChatEventHub? events = null,
        ChatMetrics? metrics = null,
        RecentHistory? recent = null,
        IHistorySink? history = null,
        IBackplane? backplane = null)
    {
        NicknamePolicy = nicknamePolicy;
        _banner = banner;
        _time = time ?? TimeProvider.System;
        Events = events ?? new ChatEventHub();
        Metrics = metrics ?? new ChatMetrics();
        Recent = recent ?? new RecentHistory(0);
        _history = history;
        Backplane = backplane ?? NoBackplane.Instance;
    }

    /// <summary>The last lines, for showing a new login what it missed.</summary>
    public RecentHistory Recent { get; }

    public NicknamePolicy NicknamePolicy { get; }

    public ChatEventHub Events { get; }

    public ChatMetrics Metrics { get; }

    /// <summary>Who was here under which nickname (IRC's WHOWAS), written as members leave or rename.</summary>
    public FormerMembers Former { get; } = new();

    /// <summary>The lines every new connection is greeted with.</summary>
    public BannerText Banner => Volatile.Read(ref _banner);

    /// <summary>The banner as it goes on the wire, encoded once for every login rather than at each.</summary>
    public ReadOnlySpan<byte[]> EncodedBanner => Volatile.Read(ref _banner).Encoded;

    public IReadOnlyList<ChatMember> Members => _members.Snapshot();

    public int Count => _members.Count;

    /// <summary>The most members this node has had at once since it started.</summary>
    public int PeakCount => _members.Peak;

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
            _members.Add(member);
            EnterDefaultRoomLocked(member);
        }

        // The guest nickname is claimed for the cluster in the background; a lost race renames the guest.
        // The other nodes learn of the member now, quietly; the notice (if any) comes with AnnounceJoin.
        Backplane.MemberJoined(member);
        Backplane.Publish(JoinMessage(member));
        return true;
    }

    /// <summary>
    /// Adds a member under the nickname they chose (already found valid), as an IRC client registers: in the default
    /// room only with <paramref name="enterDefaultRoom"/>. In a cluster the nickname is claimed in the background, as
    /// a guest's is; a lost race renames the member.
    /// </summary>
    public JoinOutcome TryJoin(ChatMember member, string nick, bool enterDefaultRoom)
    {
        lock (_gate)
        {
            if (IsShuttingDown)
            {
                return JoinOutcome.ShuttingDown;
            }

            if (_byNick.ContainsKey(nick) || (Backplane.IsClustered && Cluster.Find(nick) is not null))
            {
                return JoinOutcome.NickTaken;
            }

            member.Nick = nick;
            _byNick.Add(nick, member);
            _members.Add(member);
            if (enterDefaultRoom)
            {
                EnterDefaultRoomLocked(member);
            }
        }

        Backplane.MemberJoined(member);
        Backplane.Publish(JoinMessage(member));
        return JoinOutcome.Joined;
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

            LeaveAllRoomsLocked(member);

            if (_members.Remove(member) == 0)
            {
                _emptied?.TrySetResult();
            }
        }

        Former.Add(member, member.Nick, _time.GetUtcNow());
        Backplane.MemberLeft(member);
        if (!member.WasAnnounced)
        {
            // Never announced, so no leave notice follows: tell the other nodes quietly, in case they know of them.
            Backplane.Publish(new ClusterMessage(ClusterMessageKind.Leave) { ConnectionId = member.ConnectionId, Nick = member.Nick });
        }
    }

    /// <summary>
    /// Renames a member and tells everyone; returns why not, or null on success. In a cluster the nickname is
    /// claimed for the whole cluster first (the one wait for the network on the chat path, bounded).
    /// </summary>
    public async ValueTask<string?> TryRenameAsync(ChatMember member, string newNick, CancellationToken cancel = default)
    {
        var invalid = NicknamePolicy.Validate(newNick);
        if (invalid is not null)
        {
            return invalid;
        }

        var holder = HolderOf(newNick, member);
        if (holder is not null)
        {
            return $"the nickname {holder} is taken";
        }

        // A change of case only keeps the claim this member already holds.
        var needsClaim = Backplane.IsClustered && !string.Equals(member.Nick, newNick, StringComparison.OrdinalIgnoreCase);
        if (needsClaim)
        {
            var claim = await Backplane.ClaimNickAsync(member, newNick, cancel).ConfigureAwait(false);
            if (claim != NickClaim.Claimed)
            {
                return claim == NickClaim.Taken
                    ? $"the nickname {newNick} is taken"
                    : "the other servers cannot be reached right now to check that it is free; try again in a moment";
            }
        }

        string oldNick;
        lock (_gate)
        {
            if (_byNick.TryGetValue(newNick, out var local) && !ReferenceEquals(local, member))
            {
                holder = local.Nick;
                oldNick = string.Empty;
            }
            else
            {
                oldNick = member.Nick;
                _byNick.Remove(oldNick);
                member.Nick = newNick;
                _byNick.Add(newNick, member);
            }
        }

        if (holder is not null)
        {
            // Lost a race with a member of this node: give back what was claimed.
            Backplane.MemberRenamed(member, newNick);
            return $"the nickname {holder} is taken";
        }

        Backplane.MemberRenamed(member, oldNick);
        Former.Add(member, oldNick, _time.GetUtcNow());
        AnnounceRename(member, oldNick, newNick);
        return null;
    }

    /// <summary>Tells everyone else that <paramref name="member"/> has arrived.</summary>
    public void AnnounceJoin(ChatMember member)
    {
        member.WasAnnounced = true;
        var notice = $"{member.Nick} has joined";
        NoticeToRoomsOf(member, new Delivery(DeliveryKind.Arrived, ChatLine.Notice(notice)) { Nick = member.Nick, From = member.Identity, Rooms = RoomNamesOf(member) });

        // The history is the default room's: an arrival elsewhere (an IRC client, in no room yet) is not part of it.
        if (member.CurrentRoom?.IsDefault == true)
        {
            Record(HistoryKind.Notice, null, notice);
        }

        Publish(ChatEventKind.Join, nick: member.Nick);
        Backplane.Publish(JoinMessage(member) with { Text = notice });
    }

    /// <summary>Tells everyone that <paramref name="member"/>, who has left, is gone and why.</summary>
    public void AnnounceLeave(ChatMember member, string notice, string reason)
    {
        NoticeToRoomsOf(member, new Delivery(DeliveryKind.Departed, ChatLine.Notice(notice)) { Nick = member.Nick, From = member.Identity, Text = reason, Rooms = RoomNamesOf(member) });
        Record(HistoryKind.Notice, null, notice);
        Publish(ChatEventKind.Leave, nick: member.Nick, reason: reason);
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.Leave)
        {
            ConnectionId = member.ConnectionId,
            Nick = member.Nick,
            Text = notice,
            Reason = reason,
        });
    }

    /// <summary>An announcement from an administrator to everyone.</summary>
    public void Announce(string text, string by)
    {
        Broadcast(_members.Snapshot(), AnnouncementDelivery(text, room: null));
        Record(HistoryKind.Notice, null, "Announcement: " + text);
        Publish(ChatEventKind.Announce, text: text, by: by);
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.Announce) { Text = text, By = by });
    }

    /// <summary>
    /// Replaces the banner for every login from now on; with <paramref name="everyNode"/>, on the other
    /// nodes of the cluster too (a change through the API), else here only (this node's settings file).
    /// </summary>
    public void SetBanner(BannerText banner, string by, bool everyNode = true)
    {
        ReplaceBanner(banner, by);
        if (everyNode)
        {
            Backplane.Publish(new ClusterMessage(ClusterMessageKind.Banner) { Lines = banner.Lines, By = by });
        }
    }

    /// <summary>Puts back the banner stored before a restart; nobody is told.</summary>
    public void RestoreBanner(BannerText banner) => ReplaceBanner(banner, by: null, tell: false);

    // The one place the current banner changes after start; the dashboard hears of it unless it is a restore.
    private void ReplaceBanner(BannerText banner, string? by, bool tell = true)
    {
        Volatile.Write(ref _banner, banner);
        if (tell)
        {
            Publish(ChatEventKind.Banner, text: banner.ToString(), by: by);

            // No plain text: netcat users see a banner at login. IRC clients, whose MOTD it is, are told now.
            Broadcast(_members.Snapshot(), new Delivery(DeliveryKind.BannerChanged, string.Empty) { Text = banner.ToString(), BannerLines = banner.Lines });
        }
    }

    /// <summary>Disconnects a member, telling them and (as they leave) the room why.</summary>
    public void Kick(ChatMember member, string reason, string by)
    {
        member.Deliver(new Delivery(DeliveryKind.Kicked, ChatLine.Notice($"You have been kicked: {reason}")) { Text = reason, Target = by });
        member.Disconnect("kicked: " + reason);
        Publish(ChatEventKind.Kick, nick: member.Nick, reason: reason, by: by);
    }

    public ChatMember? Find(string nick)
    {
        lock (_gate)
        {
            return _byNick.GetValueOrDefault(nick);
        }
    }

    /// <summary>Sends a server notice (its plain-text line) to everyone but <paramref name="except"/>; returns how many it went to. Never waits for any recipient.</summary>
    public int Broadcast(string line, ChatMember? except = null) => Broadcast(_members.Snapshot(), new Delivery(DeliveryKind.Notice, line), except);

    /// <summary>Tells <paramref name="recipients"/> but <paramref name="except"/> what a delivery says; returns how many it went to.</summary>
    private static int Broadcast(ChatMember[] recipients, Delivery delivery, ChatMember? except = null)
    {
        using var batch = DeliveryBatch.Begin();
        var count = 0;
        foreach (var member in recipients)
        {
            if (!ReferenceEquals(member, except))
            {
                member.Deliver(delivery);
                count++;
            }
        }

        return count;
    }

    private static Delivery AnnouncementDelivery(string text, Room? room) =>
        new(DeliveryKind.Announcement, ChatLine.Notice("Announcement: " + text)) { Text = text, Room = room, RoomName = room?.Name };

    private static string[] RoomNamesOf(ChatMember member) => [.. member.RoomArray.Select(room => room.Name)];

    // Queued, never awaited: the database is off the chat path.
    private void Record(HistoryKind kind, string? nick, string text, string? messageId = null)
    {
        var entry = new HistoryEntry(_time.GetUtcNow(), kind, nick, text, MessageId: messageId);
        Recent.Add(entry);
        _history?.Add(entry);
    }

    private void Publish(ChatEventKind kind, string? nick = null, string? newNick = null, string? text = null, string? reason = null, string? by = null, string? room = null)
    {
        if (Events.Wants(kind))
        {
            Events.Publish(new ChatEvent(kind, _time.GetUtcNow(), ClusterCount, nick, newNick, text, reason, by, room));
        }
    }

    private static ClusterMessage JoinMessage(ChatMember member) => new(ClusterMessageKind.Join)
    {
        ConnectionId = member.ConnectionId,
        Nick = member.Nick,
        Address = member.RemoteAddress,
        Since = member.ConnectedAt,
        Rooms = [.. member.RoomArray.Select(room => room.Name)],
        Door = member.Door,
        User = member.User,
    };

    private void AnnounceRename(ChatMember member, string oldNick, string newNick)
    {
        var notice = $"{oldNick} is now known as {newNick}";
        NoticeToRoomsOf(
            member,
            new Delivery(DeliveryKind.Renamed, ChatLine.Notice(notice)) { Nick = oldNick, From = member.Identity with { Nick = oldNick }, Text = newNick, Rooms = RoomNamesOf(member) },
            includingThem: true);
        Record(HistoryKind.Notice, null, notice);
        Publish(ChatEventKind.Nick, nick: oldNick, newNick: newNick);
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.Nick) { ConnectionId = member.ConnectionId, Nick = oldNick, NewNick = newNick });
    }

    // Who holds a nickname other than this member, here or (as far as this node knows) on another node.
    private string? HolderOf(string nick, ChatMember member)
    {
        lock (_gate)
        {
            if (_byNick.TryGetValue(nick, out var local) && !ReferenceEquals(local, member))
            {
                return local.Nick;
            }
        }

        return Backplane.IsClustered ? Cluster.Find(nick)?.Nick : null;
    }

    private string PickGuestNick()
    {
        // Four digits while there is room, more digits once guests crowd them.
        for (var digits = 4; ; digits++)
        {
            var low = (int)Math.Pow(10, digits - 1);
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var nick = NicknamePolicy.GuestPrefix + Random.Shared.Next(low, low * 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!_byNick.ContainsKey(nick) && (!Backplane.IsClustered || Cluster.Find(nick) is null))
                {
                    return nick;
                }
            }
        }
    }
}
