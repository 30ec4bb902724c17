using CatChat.Chat;

namespace CatChat.Tests;

/// <summary>Room modes across nodes: what a change here publishes, and what this node does with another node's.</summary>
public partial class ChatRoomClusterTests
{
    private static ClusterMessage ModesFromB(string room, RoomModes modes, string? change = null) =>
        FromB(ClusterMessageKind.RoomModes) with { Room = room, Modes = modes, By = change is null ? null : "bob", Text = change };

    private static RoomModes Keyed(string key, long version) => RoomModes.Default with { Key = key, Version = version };

    [Fact]
    public void AModeChangeHereIsPublishedAsTheRoomsWholeSharedModes()
    {
        var (alice, _) = Join("c1");
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out var cats, out _));
        cats!.Key = "sesame";
        cats.TopicLocked = true;
        Assert.True(cats.Bans.Set("*!*@spam", true));

        _room.RoomModesChanged(cats, "alice", "+tkb sesame *!*@spam");

        var published = _backplane.Published[^1];
        Assert.Equal((ClusterMessageKind.RoomModes, "#cats", "alice", "+tkb sesame *!*@spam"), (published.Kind, published.Room, published.By, published.Text));
        Assert.Equal(("nt", "sesame", "a-0001"), (published.Modes!.Flags, published.Modes.Key, published.Modes.Node));
        Assert.Equal(["*!*@spam"], published.Modes.Bans);
        Assert.True(published.Modes.Version > 0);
    }

    [Fact]
    public void ANewerChangeFromAnotherNodeIsTakenAndAnOlderOneIsNot()
    {
        var (alice, _) = Join("c1");
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out var cats, out _));

        // Versions are times: the room made here a moment ago has one of now.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _room.ApplyRemote(ModesFromB("#cats", RoomModes.Default with { Flags = "nim", Limit = 5, Version = now + 60_000 }, "+iml 5"));
        _room.ApplyRemote(ModesFromB("#CATS", RoomModes.Default with { Version = now + 30_000 }, "-iml"));

        Assert.Equal((true, true, 5), (cats!.InviteOnly, cats.Moderated, cats.Limit));
        Assert.Equal("+niml 5", cats.ModeString(showKey: false));
    }

    [Fact]
    public void ARoomMadeHereWhileItHasMembersElsewhereStartsWithTheirModes()
    {
        var (alice, _) = Join("c1");
        BobJoinsFromB();
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomJoin) with { ConnectionId = "x", Nick = "bob", Room = "#cats" });
        _room.ApplyRemote(ModesFromB("#cats", Keyed("sesame", 5_000), "+k sesame"));

        Assert.Contains("key", _room.JoinRoom(alice, "#cats", false, out _, out _), StringComparison.Ordinal);
        Assert.Null(_room.FindRoom("#cats")); // The room made for the refused join is gone again.
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out var cats, out _, key: "sesame"));
        Assert.False(cats!.IsOperator(alice)); // Its operators are on the node where it was made.
        Assert.Equal("+nk sesame", cats.ModeString(showKey: true));
    }

    [Fact]
    public void ARoomNewToTheWholeClusterStartsAfreshAndTellsTheOthers()
    {
        var (alice, _) = Join("c1");
        _room.ApplyRemote(ModesFromB("#dogs", Keyed("old", 5_000))); // A room of that name that has nobody now.

        Assert.Null(_room.JoinRoom(alice, "#dogs", false, out var dogs, out _));

        Assert.True(dogs!.IsOperator(alice));
        Assert.Null(dogs.Key);
        var published = _backplane.Published.Last(message => message.Kind == ClusterMessageKind.RoomModes);
        Assert.Equal(("#dogs", (string?)null, (string?)null), (published.Room, published.Modes!.Key, published.Text));
        Assert.True(published.Modes.Version > 5_000);
    }

    [Fact]
    public void ANodeThatAsksIsToldTheModesOfEveryRoomHereThatHasAnyButPlusN()
    {
        var (alice, _) = Join("c1");
        Assert.Null(_room.JoinRoom(alice, "#dogs", false, out _, out _));
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out var cats, out _));
        cats!.Secret = true;
        _room.RoomModesChanged(cats, "alice", "+s");
        _backplane.Published.Clear();

        _room.ApplyRemote(FromB(ClusterMessageKind.ModesWanted));

        var answer = Assert.Single(_backplane.Published);
        Assert.Equal((ClusterMessageKind.RoomModes, "#cats", "ns", (string?)null), (answer.Kind, answer.Room, answer.Modes!.Flags, answer.Text));
    }

    [Fact]
    public void ALimitCountsTheRoomsMembersOnEveryNode()
    {
        var (alice, _) = Join("c1");
        var (carol, _) = Join("c2");
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out var cats, out _));
        BobJoinsFromB();
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomJoin) with { ConnectionId = "x", Nick = "bob", Room = "#cats" });
        cats!.Limit = 2;

        Assert.Contains("full (2 members)", _room.JoinRoom(carol, "#cats", false, out _, out _), StringComparison.Ordinal);
    }

    [Fact]
    public void WhenItHoldsTheModesOfTenThousandRoomsANodeForgetsThoseOfRoomsWithNobodyAnywhere()
    {
        BobJoinsFromB();
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomJoin) with { ConnectionId = "x", Nick = "bob", Room = "#kept" });
        _room.ApplyRemote(ModesFromB("#kept", Keyed("sesame", 5_000)));
        for (var i = 0; i < 10_000; i++)
        {
            _room.ApplyRemote(ModesFromB($"#empty{i}", Keyed("k", 5_000)));
        }

        _room.ApplyRemote(ModesFromB("#latest", Keyed("new", 5_000)));

        Assert.Equal("new", _room.SharedModesOf("#latest")?.Key);
        Assert.Equal("sesame", _room.SharedModesOf("#kept")?.Key); // Bob is in it.
        Assert.Null(_room.SharedModesOf("#empty1"));
    }
}
