using CatChat.Chat;
using CatChat.Protocol;

namespace CatChat.Tests;

public class FormerMembersTests
{
    private sealed class NoOutbox : IOutbox
    {
        public bool TryEnqueue(byte[] encodedLine) => true;
    }

    private static ChatMember Member(string user) =>
        new("c", "127.0.0.1:1", DateTimeOffset.UnixEpoch, new NoOutbox(), new RecordingConnection()) { Door = "irc", User = user, RealName = user + " real" };

    [Fact]
    public void EntriesForANicknameComeNewestFirstWhateverItsCase()
    {
        var former = new FormerMembers();
        former.Add(Member("~one"), "Bob", DateTimeOffset.UnixEpoch);
        former.Add(Member("~other"), "carol", DateTimeOffset.UnixEpoch.AddSeconds(1));
        former.Add(Member("~two"), "bob", DateTimeOffset.UnixEpoch.AddSeconds(2));

        Assert.Equal(["~two", "~one"], former.Find("BOB").Select(was => was.User));
        Assert.Equal(new FormerMember("bob", "~two", "irc", "~two real", DateTimeOffset.UnixEpoch.AddSeconds(2)), former.Find("bob", max: 1).Single());
        Assert.Empty(former.Find("dave"));
    }

    [Fact]
    public void TheOldestEntryMakesWayOnceTheRingIsFull()
    {
        var former = new FormerMembers(capacity: 3);
        for (var i = 0; i < 5; i++)
        {
            former.Add(Member("~" + i), "bob", DateTimeOffset.UnixEpoch.AddSeconds(i));
        }

        Assert.Equal(["~4", "~3", "~2"], former.Find("bob", max: 0).Select(was => was.User));
    }

    [Fact]
    public async Task LeavingAndRenamingAreRememberedByTheChat()
    {
        var room = new ChatRoom(new NicknamePolicy(), BannerText.Parse("hi"));
        var member = Member("~cat");
        Assert.Equal(JoinOutcome.Joined, room.TryJoin(member, "tom", enterDefaultRoom: false));

        Assert.Null(await room.TryRenameAsync(member, "thomas"));
        room.Leave(member);

        Assert.Equal("~cat", Assert.Single(room.Former.Find("tom")).User);
        Assert.Equal("~cat", Assert.Single(room.Former.Find("thomas")).User);
    }
}
