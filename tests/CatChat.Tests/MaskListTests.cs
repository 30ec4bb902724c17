using CatChat.Chat;

namespace CatChat.Tests;

public class MaskListTests
{
    [Fact]
    public void AMaskMatchesWithWildcardsAndIsKeptOnceWhateverItsCase()
    {
        var list = new MaskList();

        Assert.True(list.Set("*!*@netcat", present: true));
        Assert.False(list.Set("*!*@NETCAT", present: true));

        Assert.True(list.Matches("bob!nc@netcat"));
        Assert.False(list.Matches("alice!~alice@irc"));
        Assert.Single(list.Masks);
    }

    [Fact]
    public void AMuteMatchesAsAMuteOnlyAndAPlainMaskNeverAsOne()
    {
        var list = new MaskList();
        list.Set("m:bob!*@*", present: true);
        list.Set("carol!*@*", present: true);

        Assert.True(list.MatchesMute("bob!nc@netcat"));
        Assert.False(list.Matches("bob!nc@netcat"));
        Assert.True(list.Matches("carol!~carol@irc"));
        Assert.False(list.MatchesMute("carol!~carol@irc"));
        Assert.False(list.MatchesMute("m:bob!nc@netcat"));
    }

    [Fact]
    public void RemovingIgnoresCaseAndRemovingWhatIsNotThereChangesNothing()
    {
        var list = new MaskList();
        Assert.True(list.IsEmpty);
        list.Set("bob!*@*", present: true);
        Assert.False(list.IsEmpty);

        Assert.False(list.Set("carol!*@*", present: false));
        Assert.True(list.Set("BOB!*@*", present: false));
        Assert.Empty(list.Masks);
        Assert.True(list.IsEmpty);
        Assert.False(list.Matches("bob!nc@netcat"));
    }

    [Fact]
    public void AFullListRefusesOneMoreMaskButStillTakesRemovals()
    {
        var list = new MaskList();
        for (var i = 0; i < MaskList.MaxMasks; i++)
        {
            Assert.True(list.Set($"n{i}!*@*", present: true));
        }

        Assert.False(list.Set("one-more!*@*", present: true));
        Assert.Equal(MaskList.MaxMasks, list.Masks.Count);
        Assert.True(list.Set("n0!*@*", present: false));
        Assert.True(list.Set("one-more!*@*", present: true));
    }
}
