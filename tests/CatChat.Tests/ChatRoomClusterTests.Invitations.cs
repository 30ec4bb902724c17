using CatChat.Chat;

namespace CatChat.Tests;

/// <summary>Invitations across nodes: kept where the invited user will join.</summary>
public partial class ChatRoomClusterTests
{
    [Fact]
    public void AnInvitationToAUserOfAnotherNodeTravelsToTheirNode()
    {
        var (alice, _) = Join("c1");
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out var cats, out _));
        BobJoinsFromB();

        _room.Invite(alice, cats!, "BOB");

        var published = _backplane.Published[^1];
        Assert.Equal((ClusterMessageKind.Invite, alice.Nick, "bob", "b-0002", "#cats"), (published.Kind, published.Nick, published.To, published.Target, published.Room));
    }

    [Fact]
    public void AnInvitationFromAnotherNodeLetsAUserHerePastInviteOnlyIntoARoomNotYetMadeHere()
    {
        var (alice, aliceLines) = Join("c1");
        BobJoinsFromB();
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomJoin) with { ConnectionId = "x", Nick = "bob", Room = "#cats" });
        _room.ApplyRemote(ModesFromB("#cats", RoomModes.Default with { Flags = "ni", Version = 5_000 }, "+i"));
        Assert.Contains("invite-only", _room.JoinRoom(alice, "#cats", false, out _, out _), StringComparison.Ordinal);

        _room.ApplyRemote(FromB(ClusterMessageKind.Invite) with { Nick = "bob", To = alice.Nick, Target = "a-0001", Room = "#cats" });
        _room.ApplyRemote(FromB(ClusterMessageKind.Invite) with { Nick = "bob", To = "nobody-here", Target = "a-0001", Room = "#dogs" });

        Assert.Equal($"*** bob invites you to #cats (/join #cats)", aliceLines.Lines[^1]);
        Assert.Equal(["#cats"], _room.InvitationsOf(alice.Nick));
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out _, out _));
        Assert.Empty(_room.InvitationsOf(alice.Nick)); // Used up by the join.
    }
}
