using CatChat.Chat;

namespace CatChat.Tests;

public class ClusterViewTests
{
    private static readonly DateTimeOffset Now = new(2031, 5, 17, 10, 0, 0, TimeSpan.Zero);

    private static RemoteMember Member(string node, string cid, string nick) => new(node, node.Split('-')[0], cid, nick, "10.0.0.1:1", Now);

    [Fact]
    public void SequenceNumbersTellInOrderFromGapsAndDuplicates()
    {
        var view = new ClusterView();

        Assert.Equal(SequenceCheck.First, view.Observe("b-1", "b", 5, Now));
        Assert.Equal(SequenceCheck.InOrder, view.Observe("b-1", "b", 6, Now));
        Assert.Equal(SequenceCheck.Duplicate, view.Observe("b-1", "b", 6, Now));
        Assert.Equal(SequenceCheck.Duplicate, view.Observe("b-1", "b", 3, Now));
        Assert.Equal(SequenceCheck.Gap, view.Observe("b-1", "b", 9, Now));
        Assert.Equal(SequenceCheck.InOrder, view.Observe("b-1", "b", 10, Now));
    }

    [Fact]
    public void AfterANodesUsersAreReadAgainItsNextMessageStartsTheSequenceAfresh()
    {
        var view = new ClusterView();
        view.Observe("b-1", "b", 5, Now);

        view.ReplaceNode("b-1", "b", [Member("b-1", "c1", "bob")], Now);

        Assert.Equal(SequenceCheck.InOrder, view.Observe("b-1", "b", 42, Now));
        Assert.Equal(SequenceCheck.InOrder, view.Observe("b-1", "b", 43, Now));
    }

    [Fact]
    public void JoinsRenamesAndLeavesKeepTheNicknameIndexAndCountRight()
    {
        var view = new ClusterView();
        view.Join(Member("b-1", "c1", "guest-1"));
        view.Join(Member("c-1", "c2", "carol"));

        Assert.NotNull(view.Rename("b-1", "c1", "Bob"));

        Assert.Null(view.Find("guest-1"));
        Assert.Equal("Bob", view.Find("bob")?.Nick);
        Assert.Equal(2, view.Count);
        Assert.Equal("carol", view.Leave("c-1", "c2")?.Nick);
        Assert.Null(view.Leave("c-1", "c2"));
        Assert.Equal(1, view.Count);
        Assert.Null(view.Rename("b-1", "unknown", "x"));
    }

    [Fact]
    public void AJoinHeardAgainDoesNotCountTwice()
    {
        var view = new ClusterView();
        view.Join(Member("b-1", "c1", "guest-1"));
        view.Join(Member("b-1", "c1", "guest-1"));

        Assert.Equal(1, view.Count);
    }

    [Fact]
    public void ReplacingANodeDropsUsersTheStoreNoLongerHas()
    {
        var view = new ClusterView();
        view.Join(Member("b-1", "c1", "bob"));
        view.Join(Member("b-1", "c2", "ghost"));

        view.ReplaceNode("b-1", "b", [Member("b-1", "c1", "bob")], Now);

        Assert.Null(view.Find("ghost"));
        Assert.Equal(1, view.UsersOn("b-1"));
    }

    [Fact]
    public void ASilentNodeIsFoundAndRemovingItReturnsItsUsers()
    {
        var view = new ClusterView();
        view.Observe("b-1", "b", 1, Now);
        view.Observe("c-1", "c", 1, Now.AddSeconds(4));
        view.Join(Member("b-1", "c1", "bob"));
        view.Join(Member("b-1", "c2", "bert"));

        var silent = Assert.Single(view.SilentSince(Now.AddSeconds(2)));
        var gone = view.RemoveNode(silent.Id);

        Assert.Equal("b", silent.Name);
        Assert.Equal(["bert", "bob"], gone.Select(m => m.Nick).Order());
        Assert.Equal(0, view.Count);
        Assert.Null(view.Find("bob"));
        Assert.Equal("c", Assert.Single(view.Nodes).Name);
    }

    [Fact]
    public void AfterASplitEveryNodeGetsAFreshTimeout()
    {
        var view = new ClusterView();
        view.Observe("b-1", "b", 1, Now);

        view.TouchAll(Now.AddMinutes(1));

        Assert.Empty(view.SilentSince(Now.AddMinutes(1)));
    }
}
