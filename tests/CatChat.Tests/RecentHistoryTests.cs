using CatChat.Chat;

namespace CatChat.Tests;

public class RecentHistoryTests
{
    private static HistoryEntry Line(string text, string? id) => new(DateTimeOffset.UnixEpoch, HistoryKind.Message, "alice", text, MessageId: id);

    [Fact]
    public void ALineIsFoundByItsIdWhileKeptAndRemovingItKeepsTheOthersInOrder()
    {
        var recent = new RecentHistory(4);
        foreach (var (text, id) in new[] { ("gone by now", "a"), ("one", "b"), ("two", "c"), ("three", "c"), ("four", "d") })
        {
            recent.Add(Line(text, id));
        }

        Assert.Null(recent.Find("a")); // Pushed out of the ring.
        Assert.Equal("three", recent.Find("c")!.Text); // The newest of a multiline message's lines.

        Assert.Equal(2, recent.Remove("c"));
        Assert.Equal(0, recent.Remove("zz"));
        Assert.Equal(["one", "four"], recent.Last(10).Select(entry => entry.Text));

        // The ring goes on from where the kept lines end.
        recent.Add(Line("five", "e"));
        recent.Add(Line("six", "f"));
        recent.Add(Line("seven", "g"));
        Assert.Equal(["four", "five", "six", "seven"], recent.Last(10).Select(entry => entry.Text));
        Assert.Null(recent.Find("b"));
    }

    [Fact]
    public void AnEmptyOrSizelessRingFindsAndRemovesNothing()
    {
        var none = new RecentHistory(0);
        none.Add(Line("x", "a"));
        Assert.Null(none.Find("a"));
        Assert.Equal(0, none.Remove("a"));
        Assert.Null(new RecentHistory(3).Find("a"));
        Assert.Equal(0, new RecentHistory(3).Remove("a"));
    }
}
