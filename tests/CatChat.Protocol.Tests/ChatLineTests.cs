namespace CatChat.Protocol.Tests;

public class ChatLineTests
{
    [Fact]
    public void MessageIsNickInAngleBracketsThenText() => Assert.Equal("<bob> hello there", ChatLine.Message("bob", "hello there"));

    [Fact]
    public void ActionIsStarSpaceNickThenAction() => Assert.Equal("* bob waves", ChatLine.Action("bob", "waves"));

    [Fact]
    public void PrivateMessageForTheRecipientIsNickBetweenStars() => Assert.Equal("*bob* psst", ChatLine.PrivateFrom("bob", "psst"));

    [Fact]
    public void PrivateMessageForTheSenderIsArrowThenNickBetweenStars() =>
        Assert.Equal("-> *alice* psst", ChatLine.PrivateTo("alice", "psst"));

    [Fact]
    public void NoticeStartsWithThreeStars() => Assert.Equal("*** bob joined", ChatLine.Notice("bob joined"));

    [Fact]
    public void ErrorStartsWithBang() => Assert.Equal("! no such user", ChatLine.Error("no such user"));

    [Fact]
    public void PrefixesAreThreeStarsAndBangEachFollowedByASpace()
    {
        Assert.Equal("*** ", ChatLine.NoticePrefix);
        Assert.Equal("! ", ChatLine.ErrorPrefix);
    }

    [Fact]
    public void NoUserLineLooksLikeANoticeOrAnError()
    {
        string[] nicks = ["a", "_", "-", "--", "_-_", "A1", "x", "me", "Kitty", "-a", "a-", new string('-', 24), new string('_', 24)];
        string[] rawTexts =
        [
            "*** ", "! ", "*** Server is shutting down", "! you are banned", "\u001b[2J*** fake notice",
            "\r*** fake notice", "\n! fake error", "\u0000! x", "\u202E*** x", "\u001b]0;t\u0007! x", "", " ", "*", "**",
            "* ", "! ", "!", "<admin> hi", "-> *admin* hi", "*admin* hi", "\t*** x", "\u0085*** x",
        ];
        var policy = new NicknamePolicy();

        foreach (var nick in nicks)
        {
            Assert.Null(policy.Validate(nick));
            foreach (var raw in rawTexts)
            {
                var text = TextSanitizer.Sanitize(raw);
                string[] lines =
                [
                    ChatLine.Message(nick, text),
                    ChatLine.Action(nick, text),
                    ChatLine.PrivateFrom(nick, text),
                    ChatLine.PrivateTo(nick, text),
                ];

                foreach (var line in lines)
                {
                    Assert.False(line.StartsWith(ChatLine.NoticePrefix, StringComparison.Ordinal), $"\"{line}\" looks like a notice");
                    Assert.False(line.StartsWith(ChatLine.ErrorPrefix, StringComparison.Ordinal), $"\"{line}\" looks like an error");
                    Assert.DoesNotContain('\r', line);
                    Assert.DoesNotContain('\n', line);
                }
            }
        }
    }
}
