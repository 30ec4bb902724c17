using CatChat.Chat;

namespace CatChat.Tests;

/// <summary>WHOWAS across nodes: who gave up a nickname on another node is remembered here too.</summary>
public partial class ChatRoomClusterTests
{
    [Fact]
    public void ANicknameGivenUpOnAnotherNodeIsRememberedWithThatNodeAsTheServer()
    {
        BobJoinsFromB();
        _room.ApplyRemote(FromB(ClusterMessageKind.Nick) with { ConnectionId = "x", Nick = "bob", NewNick = "robert" });
        _room.ApplyRemote(FromB(ClusterMessageKind.Leave) with { ConnectionId = "x", Nick = "robert" });

        var bob = Assert.Single(_room.Former.Find("BOB"));
        var robert = Assert.Single(_room.Former.Find("robert"));
        Assert.Equal(("bob", "b"), (bob.Nick, bob.Server));
        Assert.Equal(("robert", "b"), (robert.Nick, robert.Server));
    }

    [Fact]
    public void TheUsersOfANodeThatIsGoneAreRememberedToo()
    {
        BobJoinsFromB();

        _room.NodeGone("b-0002", "b", "server b lost");

        Assert.Equal("b", Assert.Single(_room.Former.Find("bob")).Server);
    }
}
