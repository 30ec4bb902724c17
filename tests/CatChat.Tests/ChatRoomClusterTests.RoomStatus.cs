using CatChat.Backplane;
using CatChat.Chat;

namespace CatChat.Tests;

/// <summary>Operators and voice across nodes: kept by the member's node, told to the others, set from any node.</summary>
public partial class ChatRoomClusterTests
{
    [Fact]
    public void ARoomsFirstOperatorAndEveryStatusChangeHereArePublished()
    {
        var (alice, _) = Join("c1");
        var (carol, _) = Join("c2");
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out var cats, out _));
        var first = _backplane.Published[^1];
        Assert.Equal((ClusterMessageKind.RoomStatus, "c1", "#cats", "o", (string?)null), (first.Kind, first.ConnectionId, first.Room, first.Status, first.By));

        Assert.Null(_room.JoinRoom(carol, "#cats", false, out _, out _));
        cats!.SetVoiced(carol, true);
        _room.StatusChanged(cats, carol, alice.Nick, "+v");

        var changed = _backplane.Published[^1];
        Assert.Equal((ClusterMessageKind.RoomStatus, "c2", "v", alice.Nick, "+v"), (changed.Kind, changed.ConnectionId, changed.Status, changed.By, changed.Text));
        Assert.Contains(_backplane.Updated, update => update.StartsWith(carol.Nick + " ", StringComparison.Ordinal));
    }

    [Fact]
    public void AMemberOfAnotherNodeKeepsTheStatusTheirNodeSaysUntilTheyLeaveTheRoom()
    {
        BobJoinsFromB();
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomJoin) with { ConnectionId = "x", Nick = "bob", Room = "#cats" });

        _room.ApplyRemote(FromB(ClusterMessageKind.RoomStatus) with { ConnectionId = "x", Nick = "bob", Room = "#cats", Status = "ov" });
        Assert.Equal((true, true), (_room.Cluster.Find("bob")!.IsOperatorIn("#CATS"), _room.Cluster.Find("bob")!.IsVoicedIn("#cats")));

        _room.ApplyRemote(FromB(ClusterMessageKind.RoomPart) with { ConnectionId = "x", Nick = "bob", Room = "#cats" });
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomJoin) with { ConnectionId = "x", Nick = "bob", Room = "#cats" });
        Assert.Equal((false, false), (_room.Cluster.Find("bob")!.IsOperatorIn("#cats"), _room.Cluster.Find("bob")!.IsVoicedIn("#cats")));
    }

    [Fact]
    public void AnOperatorOfAnotherNodeGivesAMemberHereVoiceAndEveryNodeIsTold()
    {
        var (alice, _) = Join("c1");
        var (carol, _) = Join("c2");
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out var cats, out _));
        _backplane.Published.Clear();

        _room.ApplyRemote(FromB(ClusterMessageKind.SetStatus) with { Nick = carol.Nick, Target = "a-0001", Room = "#cats", Text = "+v", By = "bob" });
        Assert.Empty(_backplane.Published); // Carol is not in #cats: nothing to change.
        Assert.Null(_room.JoinRoom(carol, "#cats", false, out _, out _));
        _room.ApplyRemote(FromB(ClusterMessageKind.SetStatus) with { Nick = carol.Nick, Target = "a-0001", Room = "#cats", Text = "+v", By = "bob" });

        Assert.True(cats!.IsVoiced(carol));
        var told = _backplane.Published[^1];
        Assert.Equal((ClusterMessageKind.RoomStatus, carol.Nick, "v", "bob", "+v"), (told.Kind, told.Nick, told.Status, told.By, told.Text));
    }

    [Fact]
    public void AMembersRecordCarriesTheRoomsTheyAreAnOperatorOfOrVoicedIn()
    {
        var (alice, _) = Join("c1");
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out _, out _));
        Assert.Null(_room.JoinRoom(alice, "#dogs", false, out var dogs, out _));
        dogs!.SetOperator(alice, false);
        dogs.SetVoiced(alice, true);

        var read = EnvelopeCodec.TryDecodeMember("a-0001", "a", "c1", EnvelopeCodec.EncodeMember(alice));

        Assert.Equal(["#cats"], read!.Operating);
        Assert.Equal(["#dogs"], read.Voiced);
    }
}
