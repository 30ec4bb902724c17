using CatChat.Chat;
using CatChat.Protocol;

namespace CatChat.Tests;

/// <summary>The room with a stand-in backplane: what it publishes, and what it does with what other nodes report.</summary>
public partial class ChatRoomClusterTests
{
    private sealed class RecordingOutbox : IOutbox
    {
        public List<string> Lines { get; } = [];

        public bool TryEnqueue(byte[] encodedLine)
        {
            Lines.Add(System.Text.Encoding.UTF8.GetString(encodedLine).TrimEnd('\r', '\n'));
            return true;
        }
    }

    private sealed class RecordingHistory : IHistorySink
    {
        public List<HistoryEntry> Entries { get; } = [];

        /// <summary>The message ids redacted, in order.</summary>
        public List<string> Redacted { get; } = [];

        public void Add(HistoryEntry entry) => Entries.Add(entry);

        public void Redact(string messageId) => Redacted.Add(messageId);
    }

    private sealed class FakeBackplane : IBackplane
    {
        public List<ClusterMessage> Published { get; } = [];

        public List<string> Released { get; } = [];

        public NickClaim NextClaim { get; set; } = NickClaim.Claimed;

        public bool IsClustered => true;

        public string NodeId => "a-0001";

        public string NodeName => "a";

        public BackplaneState State { get; set; } = BackplaneState.Whole;

        public ClusterView Cluster { get; } = new();

        public BackplaneMetrics Metrics { get; } = new();

        public void Publish(ClusterMessage message) => Published.Add(message);

        public ValueTask<NickClaim> ClaimNickAsync(ChatMember member, string nick, CancellationToken cancel = default) => ValueTask.FromResult(NextClaim);

        public void MemberJoined(ChatMember member)
        {
        }

        public void MemberRenamed(ChatMember member, string oldNick) => Released.Add(oldNick);

        public void MemberLeft(ChatMember member) => Released.Add(member.Nick);

        public List<string> Updated { get; } = [];

        /// <summary>"+#room" when a room opened here, "-#room" when it closed.</summary>
        public List<string> RoomChanges { get; } = [];

        public void MemberUpdated(ChatMember member) => Updated.Add(member.Nick + " " + string.Join(",", member.Rooms.Select(room => room.Name)));

        public void RoomOpened(string room) => RoomChanges.Add("+" + room);

        public void RoomClosed(string room) => RoomChanges.Add("-" + room);
    }

    private readonly FakeBackplane _backplane = new();
    private readonly RecordingHistory _history = new();
    private readonly ChatRoom _room;

    public ChatRoomClusterTests() =>
        _room = new ChatRoom(new NicknamePolicy(), BannerText.Parse("hi"), recent: new RecentHistory(10), history: _history, backplane: _backplane);

    private (ChatMember Member, RecordingOutbox Outbox) Join(string id = "c")
    {
        var outbox = new RecordingOutbox();
        var member = new ChatMember(id, "127.0.0.1:1", DateTimeOffset.UnixEpoch, outbox, new RecordingConnection());
        Assert.True(_room.TryJoin(member));
        return (member, outbox);
    }

    private static ClusterMessage FromB(ClusterMessageKind kind) => new(kind) { Node = "b-0002", NodeName = "b", Seq = 1 };

    [Fact]
    public void ALineFromAnotherNodeReachesEveryLocalUserAndTheRecentLinesButNotThisNodesDatabase()
    {
        var (_, alice) = Join("c1");
        var (_, carol) = Join("c2");

        _room.ApplyRemote(FromB(ClusterMessageKind.Say) with { Nick = "bob", Text = "hi from b" });

        Assert.Equal(["<bob> hi from b"], alice.Lines);
        Assert.Equal(["<bob> hi from b"], carol.Lines);
        Assert.Equal("hi from b", Assert.Single(_room.Recent.Last(10)).Text);
        Assert.Empty(_history.Entries);
        Assert.Equal(2, _room.Metrics.LinesDelivered);
    }

    [Fact]
    public void ARoomLineFromAnotherNodeReachesOnlyThisNodesMembersOfThatRoom()
    {
        var (alice, aliceLines) = Join("c1");
        var (_, carolLines) = Join("c2");
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out _, out _));

        _room.ApplyRemote(FromB(ClusterMessageKind.RoomSay) with { Nick = "bob", Text = "meow", Room = "#CATS" });
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomSay) with { Nick = "bob", Text = "nobody here", Room = "#dogs" });

        Assert.Equal(["<bob> meow"], aliceLines.Lines);
        Assert.Empty(carolLines.Lines);
        Assert.Empty(_room.Recent.Last(10)); // The default room's history holds none of it.
        Assert.Equal(1, _room.Metrics.LinesDelivered);
    }

    [Fact]
    public void JoiningAndLeavingARoomIsToldToItsMembersOnTheOtherNodes()
    {
        var (alice, aliceLines) = Join("c1");
        var (_, carolLines) = Join("c2");
        Assert.Null(_room.JoinRoom(alice, "#cats", announce: true, out _, out _));

        var published = _backplane.Published.Last(message => message.Kind == ClusterMessageKind.RoomJoin); // Then her status as its first operator.
        Assert.Equal((ClusterMessageKind.RoomJoin, "#cats", "c1"), (published.Kind, published.Room, published.ConnectionId));
        Assert.Equal(alice.Nick + " has joined #cats", published.Text);
        BobJoinsFromB();
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomJoin) with { ConnectionId = "x", Nick = "bob", Room = "#cats", Text = "bob has joined #cats" });
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomPart) with { ConnectionId = "x", Nick = "bob", Room = "#CATS", Reason = "bedtime", Text = "bob has left #cats (bedtime)" });
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomJoin) with { ConnectionId = "x", Nick = "bob", Room = "#dogs", Text = "bob has joined #dogs" });

        Assert.Equal(["*** bob has joined #cats", "*** bob has left #cats (bedtime)"], aliceLines.Lines);
        Assert.Empty(carolLines.Lines);
    }

    [Fact]
    public void AQuietJoinIsCountedEverywhereButToldToNobody()
    {
        var (alice, aliceLines) = Join("c1");
        Assert.Null(_room.JoinRoom(alice, "#cats", announce: false, out _, out _));
        Assert.Null(_backplane.Published[^1].Text);
        Assert.Equal(alice.Nick + " #lobby,#cats", _backplane.Updated[^1]); // Recorded for nodes that catch up later.

        BobJoinsFromB();
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomJoin) with { ConnectionId = "x", Nick = "bob", Room = "#cats" });

        Assert.Empty(aliceLines.Lines);
        Assert.Equal(2, _room.ListingOf("#CATS")?.Members);
        Assert.Equal(["bob", alice.Nick], _room.NicksIn("#cats"));
    }

    [Fact]
    public void RoomsCountMembersOnEveryNodeAndListRoomsThatHaveNobodyHere()
    {
        var (alice, _) = Join("c1");
        Assert.Null(_room.JoinRoom(alice, "#cats", announce: false, out _, out _));
        _room.ApplyRemote(FromB(ClusterMessageKind.Join) with { ConnectionId = "x", Nick = "bob", Rooms = ["#lobby", "#Dogs"] });
        _room.ApplyRemote(FromB(ClusterMessageKind.Join) with { ConnectionId = "y", Nick = "bert", Rooms = ["#lobby"] });
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomJoin) with { ConnectionId = "y", Nick = "bert", Room = "#cats" });
        _room.ApplyRemote(FromB(ClusterMessageKind.Topic) with { Room = "#dogs", Text = "woof", By = "bob" });

        Assert.Equal(
            [new RoomListing("#lobby", 3, "", true), new RoomListing("#cats", 2, "", false), new RoomListing("#Dogs", 1, "woof", false)],
            _room.RoomDirectory);

        // While split, only this node's are counted: the others cannot be reached.
        _backplane.State = BackplaneState.Split;
        Assert.Equal([new RoomListing("#lobby", 1, "", true), new RoomListing("#cats", 1, "", false)], _room.RoomDirectory);
        _backplane.State = BackplaneState.Whole;

        // The node dies: its users leave every room with it.
        _room.NodeGone("b-0002", "b", "server b lost");
        Assert.Equal([new RoomListing("#lobby", 1, "", true), new RoomListing("#cats", 1, "", false)], _room.RoomDirectory);
        Assert.Equal([alice.Nick], _room.NicksIn("#cats"));
    }

    [Fact]
    public void ANoticeAboutAnotherNodesMemberGoesOnlyToThoseWhoShareARoomWithThem()
    {
        var (alice, aliceLines) = Join("c1");
        var (carol, carolLines) = Join("c2");
        Assert.Null(_room.JoinRoom(alice, "#cats", announce: false, out _, out _));
        Assert.Null(_room.PartRoom(alice, "#lobby", "", announce: false, out _));
        Assert.Null(_room.JoinRoom(carol, "#dogs", announce: false, out _, out _));
        Assert.Null(_room.PartRoom(carol, "#lobby", "", announce: false, out _));
        _room.ApplyRemote(FromB(ClusterMessageKind.Join) with { ConnectionId = "x", Nick = "bob", Rooms = ["#cats"] });

        _room.ApplyRemote(FromB(ClusterMessageKind.Nick) with { ConnectionId = "x", Nick = "bob", NewNick = "robert" });
        _room.ApplyRemote(FromB(ClusterMessageKind.Leave) with { ConnectionId = "x", Nick = "robert", Text = "robert has left", Reason = "quit" });

        Assert.Equal(["*** bob is now known as robert", "*** robert has left"], aliceLines.Lines);
        Assert.Empty(carolLines.Lines);
    }

    [Fact]
    public void ATopicSetHereIsRememberedAndSentToEveryNode()
    {
        var (alice, aliceLines) = Join("c1");
        Assert.Null(_room.JoinRoom(alice, "#cats", announce: false, out _, out _));

        _room.SetTopic("#cats", "naps", "alice");
        _room.SetTopic("#birds", "tweets", "admin"); // Nobody here: remembered, and sent on.

        Assert.Equal(["*** alice set the topic of #cats: naps"], aliceLines.Lines);
        Assert.Equal((ClusterMessageKind.Topic, "#birds", "tweets"), (_backplane.Published[^1].Kind, _backplane.Published[^1].Room, _backplane.Published[^1].Text));
        Assert.Null(_room.JoinRoom(alice, "#birds", announce: false, out var birds, out _));
        Assert.Equal("tweets", birds!.Topic);
    }

    [Fact]
    public void RoomsOpenAndCloseOnTheBackplaneAsTheirFirstMemberHereComesAndTheLastGoes()
    {
        var (alice, _) = Join("c1");
        var (carol, _) = Join("c2");
        Assert.Null(_room.JoinRoom(alice, "#cats", announce: false, out _, out _));
        Assert.Null(_room.JoinRoom(carol, "#cats", announce: false, out _, out _));
        Assert.Null(_room.PartRoom(alice, "#cats", "", announce: false, out _));
        _room.Leave(carol);

        Assert.Equal(["+#cats", "-#cats"], _backplane.RoomChanges); // Never the default room: it rides the node's own channel.
    }

    [Fact]
    public void ARoomMadeHereTakesTheSpellingTheOtherNodesUse()
    {
        var (alice, _) = Join("c1");
        _room.ApplyRemote(FromB(ClusterMessageKind.Join) with { ConnectionId = "x", Nick = "bob", Rooms = ["#lobby", "#Cats"] });

        Assert.Null(_room.JoinRoom(alice, "#CATS", announce: false, out var cats, out _));

        Assert.Equal("#Cats", cats!.Name);
    }

    [Fact]
    public void AnAdministratorsKickFromARoomOnAnotherNodeIsCarriedOutHere()
    {
        var (alice, aliceLines) = Join("c1");
        Assert.Null(_room.JoinRoom(alice, "#cats", announce: false, out _, out _));

        _room.ApplyRemote(FromB(ClusterMessageKind.Kick) with { Nick = alice.Nick, Target = "a-0001", Reason = "spam", By = "admin", Room = "#CATS" });

        Assert.Equal(["*** You were removed from #cats: spam"], aliceLines.Lines);
        Assert.Equal(["#lobby"], alice.Rooms.Select(room => room.Name));
        Assert.Equal((ClusterMessageKind.RoomPart, alice.Nick + " was removed from #cats (spam)"), (_backplane.Published[^1].Kind, _backplane.Published[^1].Text));
    }

    [Fact]
    public void JoiningAndPartingARoomHereOrOnAnotherNodeAreEventsForTheDashboard()
    {
        using var events = _room.Events.Subscribe(includeChatLines: false);
        var (alice, _) = Join("c1");
        BobJoinsFromB();
        Assert.Null(_room.JoinRoom(alice, "#cats", announce: false, out _, out _));
        Assert.Null(_room.PartRoom(alice, "#cats", "nap", announce: false, out _));
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomJoin) with { ConnectionId = "x", Nick = "bob", Room = "#dogs" });

        var seen = new List<string>();
        while (events.Reader.TryRead(out var chatEvent))
        {
            if (chatEvent.Room is not null)
            {
                seen.Add($"{chatEvent.Kind} {chatEvent.Nick} {chatEvent.Room} {chatEvent.Reason}".TrimEnd());
            }
        }

        Assert.Equal([$"RoomJoin {alice.Nick} #cats", $"RoomPart {alice.Nick} #cats nap", "RoomJoin bob #dogs"], seen);
    }

    private void BobJoinsFromB() =>
        _room.ApplyRemote(FromB(ClusterMessageKind.Join) with { ConnectionId = "x", Nick = "bob", Rooms = ["#lobby"] });

    [Fact]
    public void ALineInARoomIsPublishedWithItsRoomAsAKindOfItsOwn()
    {
        var (alice, _) = Join("c1");
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out _, out _));

        _room.Say(alice, "meow", TimeProvider.System.GetTimestamp());

        var published = _backplane.Published[^1];
        Assert.Equal(ClusterMessageKind.RoomSay, published.Kind);
        Assert.Equal("#cats", published.Room);
        Assert.Equal("#cats", Assert.Single(_history.Entries, entry => entry.Text == "meow").Room); // Filed under its room.
    }

    [Fact]
    public void WhatThisNodesUsersDoIsPublishedInOrder()
    {
        var (alice, _) = Join("c1");
        _room.AnnounceJoin(alice);
        _room.Say(alice, "one", TimeProvider.System.GetTimestamp());
        _room.Act(alice, "two", TimeProvider.System.GetTimestamp());
        _room.Leave(alice);
        _room.AnnounceLeave(alice, $"{alice.Nick} has quit", "quit");

        Assert.Equal(
            [ClusterMessageKind.Join, ClusterMessageKind.Join, ClusterMessageKind.Say, ClusterMessageKind.Act, ClusterMessageKind.Leave],
            _backplane.Published.Select(m => m.Kind));
        Assert.Null(_backplane.Published[0].Text); // Joined quietly, then announced.
        Assert.Equal($"{alice.Nick} has joined", _backplane.Published[1].Text);
        Assert.Equal($"{alice.Nick} has quit", _backplane.Published[^1].Text);
    }

    [Fact]
    public void AUserWhoWasNeverAnnouncedComesAndGoesQuietly()
    {
        var (member, _) = Join("c1");

        _room.Leave(member);

        Assert.Equal([ClusterMessageKind.Join, ClusterMessageKind.Leave], _backplane.Published.Select(m => m.Kind));
        Assert.All(_backplane.Published, message => Assert.Null(message.Text));
    }

    [Fact]
    public void AQuietJoinFromAnotherNodeCountsTheUserWithoutANotice()
    {
        var (_, alice) = Join();

        _room.ApplyRemote(FromB(ClusterMessageKind.Join) with { ConnectionId = "x", Nick = "bob" });

        Assert.Empty(alice.Lines);
        Assert.Equal("bob", _backplane.Cluster.Find("bob")?.Nick);
        _room.ApplyRemote(FromB(ClusterMessageKind.Join) with { ConnectionId = "x", Nick = "bob", Text = "bob has joined", Seq = 2 });
        Assert.Equal(["*** bob has joined"], alice.Lines);
        Assert.Equal(1, _backplane.Cluster.Count);
    }

    [Fact]
    public async Task ANicknameTheClusterGaveToSomeoneElseIsRefused()
    {
        var (member, _) = Join();
        _backplane.NextClaim = NickClaim.Taken;

        Assert.Equal("the nickname alice is taken", await _room.TryRenameAsync(member, "alice"));
        Assert.StartsWith("guest-", member.Nick, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhileTheClusterCannotBeAskedNicknameChangesAreRefusedWithTheReason()
    {
        var (member, _) = Join();
        _backplane.NextClaim = NickClaim.Unavailable;

        var refusal = await _room.TryRenameAsync(member, "alice");

        Assert.Equal("the other servers cannot be reached right now to check that it is free; try again in a moment", refusal);
    }

    [Fact]
    public async Task ANicknameHeldOnAnotherNodeIsRefusedWithoutAskingAndARenameReleasesTheOldOne()
    {
        var (member, _) = Join();
        _backplane.Cluster.Join(new RemoteMember("b-0002", "b", "x", "bob", "", DateTimeOffset.UnixEpoch));
        var guest = member.Nick;
        _backplane.Published.Clear();

        Assert.Equal("the nickname bob is taken", await _room.TryRenameAsync(member, "BOB"));
        Assert.Null(await _room.TryRenameAsync(member, "alice"));

        Assert.Equal([guest], _backplane.Released);
        var nick = Assert.Single(_backplane.Published);
        Assert.Equal((guest, "alice"), (nick.Nick, nick.NewNick));
    }

    [Fact]
    public void WhoListsEveryNodesUsersWithABreakdownAndOnlyLocalOnesWhileSplit()
    {
        var (member, _) = Join();
        _backplane.Cluster.Observe("b-0002", "b", 1, DateTimeOffset.UnixEpoch);
        _backplane.Cluster.Join(new RemoteMember("b-0002", "b", "x", "bob", "", DateTimeOffset.UnixEpoch));

        Assert.Equal([$"*** 2 users online: bob, {member.Nick}", "*** By server: a 1 (this one), b 1"], _room.Who(100));
        _backplane.State = BackplaneState.Split;
        Assert.Equal(
            [$"*** 1 user online: {member.Nick}", "*** The chat is split: only the users on this server (a) are listed and reached."],
            _room.Who(100));
    }
}
