using CatChat.Chat;

namespace CatChat.Tests;

/// <summary>Private messages across nodes: published for the recipient's node, carried out there, or reported back.</summary>
public partial class ChatRoomClusterTests
{
    [Fact]
    public void APrivateMessageForAUserOnAnotherNodeIsPublishedForThatNodeOnly()
    {
        var (alice, aliceBox) = Join();
        _backplane.Cluster.Join(new RemoteMember("b-0002", "b", "x", "bob", "", DateTimeOffset.UnixEpoch));
        _backplane.Published.Clear();

        var (recipient, error) = _room.SendPrivate(alice, "Bob", "psst");

        Assert.Null(error);
        Assert.Equal("bob", recipient);
        Assert.Equal(["-> *bob* psst"], aliceBox.Lines);
        var message = Assert.Single(_backplane.Published);
        Assert.Equal((ClusterMessageKind.Private, "b-0002", "bob"), (message.Kind, message.Target, message.To));
    }

    [Fact]
    public void APrivateMessageOrKickForThisNodeIsCarriedOutAndOneForAnotherIsIgnored()
    {
        var (alice, aliceBox) = Join();

        _room.ApplyRemote(FromB(ClusterMessageKind.Private) with { Nick = "bob", To = alice.Nick, Target = "c-0003", Text = "not for you" });
        _room.ApplyRemote(FromB(ClusterMessageKind.Private) with { Nick = "bob", To = alice.Nick, Target = "a-0001", Text = "psst" });

        Assert.Equal(["*bob* psst"], aliceBox.Lines);
    }

    [Fact]
    public void APrivateMessageForSomeoneWhoLeftThisNodeBeforeItArrivedIsReportedBackToItsSender()
    {
        Join();
        _backplane.Published.Clear();

        // bob, on this node, quit (or renamed) while carol's message to him was on its way from node b.
        _room.ApplyRemote(FromB(ClusterMessageKind.Private) with { Nick = "carol", To = "bob", Target = "a-0001", Text = "psst" });

        var report = Assert.Single(_backplane.Published);
        Assert.Equal(("b-0002", "carol", "bob"), (report.Target, report.To, report.Nick));
    }

    [Fact]
    public void ASenderIsToldWhenTheirPrivateMessageFoundNobodyOnTheOtherNode()
    {
        var (alice, aliceBox) = Join();

        _room.ApplyRemote(FromB(ClusterMessageKind.Undelivered) with { Nick = "bob", To = alice.Nick, Target = "c-0003" });
        _room.ApplyRemote(FromB(ClusterMessageKind.Undelivered) with { Nick = "bob", To = alice.Nick, Target = "a-0001" });

        Assert.Equal(["! No such nickname: bob. Your private message did not reach them: they left or changed nickname before it arrived."], aliceBox.Lines);
    }
}
