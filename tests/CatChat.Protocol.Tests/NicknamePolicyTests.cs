namespace CatChat.Protocol.Tests;

public class NicknamePolicyTests
{
    private readonly NicknamePolicy _policy = new();

    [Theory]
    [InlineData("bob")]
    [InlineData("a")]
    [InlineData("Z")]
    [InlineData("7")]
    [InlineData("_")]
    [InlineData("-")]
    [InlineData("Bob_42")]
    [InlineData("x-y_z")]
    [InlineData("admin2")]
    [InlineData("serverless")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWX")]
    public void AsciiLettersDigitsUnderscoreAndHyphenAreAllowed(string name) => Assert.Null(_policy.Validate(name));

    [Fact]
    public void TwentyFourCharactersAreAllowed() => Assert.Null(_policy.Validate(new string('a', 24)));

    [Fact]
    public void TwentyFiveCharactersAreRefused() =>
        Assert.Equal("a nickname has at most 24 characters", _policy.Validate(new string('a', 25)));

    [Fact]
    public void EmptyNameIsRefused() => Assert.Equal("a nickname needs at least one character", _policy.Validate(string.Empty));

    [Theory]
    [InlineData("bob smith")] // space
    [InlineData(" bob")]
    [InlineData("bob ")]
    [InlineData("bob\t")]
    [InlineData("b*b")] // would confuse "* nick action" and "*nick* text"
    [InlineData("<bob>")]
    [InlineData("bob!")]
    [InlineData("bob.smith")]
    [InlineData("b\u0430b")] // Cyrillic a
    [InlineData("\u0430dmin")] // Cyrillic a: a look-alike of a reserved name
    [InlineData("b\u043Eb")] // Cyrillic o
    [InlineData("bob\u200B")] // zero-width space
    [InlineData("bob\u200D")] // zero-width joiner
    [InlineData("bob\u202E")] // right-to-left override
    [InlineData("\uFF42\uFF4F\uFF42")] // fullwidth bob
    [InlineData("bob\u0663")] // Arabic-Indic digit three
    [InlineData("b\u00E9b")] // e with acute accent
    [InlineData("bob\u00A0")] // no-break space
    [InlineData("\U0001F431")] // cat emoji
    [InlineData("bob\u001b[2J")]
    public void NonAsciiOrPunctuationIsRefused(string name) =>
        Assert.Equal("a nickname may contain only ASCII letters, digits, '_' and '-'", _policy.Validate(name));

    [Theory]
    [InlineData("admin")]
    [InlineData("Admin")]
    [InlineData("ADMIN")]
    [InlineData("SERVER")]
    [InlineData("Server")]
    [InlineData("administrator")]
    [InlineData("system")]
    [InlineData("root")]
    [InlineData("CatChat")]
    [InlineData("operator")]
    [InlineData("moderator")]
    [InlineData("nobody")]
    [InlineData("You")]
    public void ReservedNameIsRefusedWhateverItsCase(string name) =>
        Assert.Equal($"the nickname {name} is reserved", _policy.Validate(name));

    [Theory]
    [InlineData("guest-1234")]
    [InlineData("Guest-7")]
    [InlineData("GUEST-123456789")]
    public void GuestNamesAreKeptForTheServer(string name)
    {
        Assert.Equal($"names like {name} are given by the server to newcomers", _policy.Validate(name));
        Assert.True(_policy.IsWellFormed(name));
    }

    [Theory]
    [InlineData("guest")]
    [InlineData("guest-")]
    [InlineData("guest-12a")]
    [InlineData("guest_1234")]
    [InlineData("myguest-1234")]
    public void NamesThatOnlyLookALittleLikeAGuestsAreAllowed(string name) => Assert.Null(_policy.Validate(name));

    [Fact]
    public void ReservedNamesAreWellFormedButMalformedOnesAreNot()
    {
        Assert.True(_policy.IsWellFormed("admin"));
        Assert.False(_policy.IsWellFormed("böb"));
        Assert.False(_policy.IsWellFormed(string.Empty));
    }

    [Fact]
    public void DefaultsAre24CharactersAndTheBuiltInReservedList()
    {
        Assert.Equal(24, NicknamePolicy.DefaultMaxLength);
        Assert.Equal(24, _policy.MaxLength);
        Assert.Contains("admin", NicknamePolicy.DefaultReserved);
        Assert.Contains("server", NicknamePolicy.DefaultReserved);
    }

    [Fact]
    public void CustomMaximumLengthIsEnforced()
    {
        var policy = new NicknamePolicy(maxLength: 5);

        Assert.Equal(5, policy.MaxLength);
        Assert.Null(policy.Validate("abcde"));
        Assert.Equal("a nickname has at most 5 characters", policy.Validate("abcdef"));
    }

    [Fact]
    public void CustomReservedListReplacesTheDefaultOne()
    {
        var policy = new NicknamePolicy(reserved: ["Kitty", "boss"]);

        Assert.Equal("the nickname kitty is reserved", policy.Validate("kitty"));
        Assert.Equal("the nickname BOSS is reserved", policy.Validate("BOSS"));
        Assert.Null(policy.Validate("admin"));
    }

    [Fact]
    public void EmptyReservedListReservesNothing() => Assert.Null(new NicknamePolicy(reserved: []).Validate("admin"));

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void MaximumLengthBelowOneIsRejected(int maxLength) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new NicknamePolicy(maxLength));
}
