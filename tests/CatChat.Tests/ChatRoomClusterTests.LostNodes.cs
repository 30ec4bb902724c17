using CatChat.Chat;

namespace CatChat.Tests;

/// <summary>A node lost, and a nickname taken elsewhere while this node was away.</summary>
public partial class ChatRoomClusterTests
{
    [Fact]
    public void ALostNodesUsersLeaveInOneNotice()
    {
        var (_, alice) = Join();
        _backplane.Cluster.Join(new RemoteMember("b-0002", "b", "x", "bob", "", DateTimeOffset.UnixEpoch, ["#lobby"]));
        _backplane.Cluster.Join(new RemoteMember("b-0002", "b", "y", "bert", "", DateTimeOffset.UnixEpoch, ["#lobby", "#cats"]));
        _backplane.Cluster.Join(new RemoteMember("b-0002", "b", "z", "zed", "", DateTimeOffset.UnixEpoch, ["#zzz"])); // Shares no room: not named to alice.

        _room.NodeGone("b-0002", "b", "server b lost");

        Assert.Equal(["*** bert, bob and zed have left (server b lost)"], alice.Lines);
        Assert.Equal(0, _backplane.Cluster.Count);
    }

    [Fact]
    public void AGuestWhoseNicknameWasTakenElsewhereGetsAnotherAndEveryoneIsTold()
    {
        var (member, box) = Join();
        var (_, other) = Join("c2");
        var lost = member.Nick;

        _room.ReplaceLostNick(member, lost);

        Assert.NotEqual(lost, member.Nick);
        Assert.Equal($"! The nickname {lost} is in use on another server; you are now {member.Nick}.", box.Lines[0]);
        Assert.Contains($"*** {lost} is now known as {member.Nick}", other.Lines);
    }
}
