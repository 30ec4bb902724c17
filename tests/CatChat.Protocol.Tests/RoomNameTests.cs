namespace CatChat.Protocol.Tests;

public sealed class RoomNameTests
{
    [Theory]
    [InlineData("#a")]
    [InlineData("#lobby")]
    [InlineData("#Cat-Lovers_2")]
    [InlineData("#abcdefghijklmnopqrstuvwxyz012345")]
    public void AHashAndUpTo32LettersDigitsDashesOrUnderscoresIsAName(string name) =>
        Assert.Null(RoomName.Validate(name));

    [Theory]
    [InlineData("")]
    [InlineData("#")]
    [InlineData("lobby")]
    [InlineData("##lobby")]
    [InlineData("#abcdefghijklmnopqrstuvwxyz0123456")]
    [InlineData("#cats dogs")]
    [InlineData("#caf\u00e9")]
    [InlineData("#\u0441ats")]
    [InlineData("#cats\u001b[31m")]
    [InlineData("#a,b")]
    [InlineData("#a.b")]
    public void AnythingElseIsRefusedWithAReason(string name) =>
        Assert.NotNull(RoomName.Validate(name));

    [Fact]
    public void NamesCompareWithoutRegardToCase() =>
        Assert.Equal(0, RoomName.Comparer.Compare("#Cats", "#cATS"));
}
