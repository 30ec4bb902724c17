using System.Text;
using CatChat.Backplane;
using CatChat.Chat;

namespace CatChat.Tests;

/// <summary>A room's shared modes on the bus: they travel whole, and a set no node would have accepted is refused.</summary>
public class RoomModesCodecTests
{
    private readonly EnvelopeCodec _codec = new(maxLineBytes: 4096);

    private const string Sender = """ "v":1,"kind":"roommodes","node":"a-1","name":"a","seq":1,"room":"#cats" """;

    [Fact]
    public void ARoomsModesSurviveTheRoundTrip()
    {
        var modes = new RoomModes("ntimsC", "sesame", 12, ["*!*@spam", "troll!*@*"], ["friend!*@*"], ["*!*@home"]) { Version = 1_765_000_000_000 };
        var message = new ClusterMessage(ClusterMessageKind.RoomModes)
        {
            Node = "a-1",
            NodeName = "a",
            Seq = 3,
            Room = "#cats",
            By = "alice",
            Text = "+kb sesame troll!*@*",
            Modes = modes,
        };

        var decoded = _codec.TryDecode(EnvelopeCodec.Encode(message), out var rejection);

        Assert.Null(rejection);
        Assert.Equal(("#cats", "alice", "+kb sesame troll!*@*"), (decoded!.Room, decoded.By, decoded.Text));
        var back = decoded.Modes!;
        Assert.Equal(("ntimsC", "sesame", 12, 1_765_000_000_000L), (back.Flags, back.Key, back.Limit, back.Version));
        Assert.Equal(modes.Bans, back.Bans);
        Assert.Equal(modes.BanExceptions, back.BanExceptions);
        Assert.Equal(modes.InviteExceptions, back.InviteExceptions);
    }

    [Fact]
    public void AnAnswerToANodeThatAskedCarriesNoChangeAndEmptyListsStayEmpty()
    {
        var json = "{" + Sender.Trim() + ""","modes":{"ver":5,"flags":"n"}}""";

        var decoded = _codec.TryDecode(Encoding.UTF8.GetBytes(json), out var rejection);

        Assert.Null(rejection);
        Assert.Equal(((string?)null, (string?)null, "n", 0), (decoded!.By, decoded.Text, decoded.Modes!.Flags, decoded.Modes.Limit));
        Assert.Empty(decoded.Modes.Bans);
    }

    [Theory]
    [InlineData(""" "modes":{"ver":0,"flags":"n"} """)] // no version
    [InlineData(""" "modes":{"ver":5,"flags":"nx"} """)] // a mode no node has
    [InlineData(""" "modes":{"ver":5,"flags":"nn"} """)] // a mode twice
    [InlineData(""" "modes":{"ver":5,"flags":"n","key":"a b"} """)] // a key nobody could type
    [InlineData(""" "modes":{"ver":5,"flags":"n","key":"a\u001b[2Jb"} """)] // a key with an escape sequence
    [InlineData(""" "modes":{"ver":5,"flags":"n","key":"123456789012345678901234"} """)] // a key past 23
    [InlineData(""" "modes":{"ver":5,"flags":"n","limit":-1} """)]
    [InlineData(""" "modes":{"ver":5,"flags":"n","b":["*!*@a\u0007"]} """)] // a ban that rings a bell
    [InlineData(""" "modes":{"ver":5,"flags":"n","e":[":x"]} """)] // a mask IRC would read as a trailing parameter
    [InlineData(""" "modes":{"ver":5,"flags":"n"},"by":"alice","text":"+k :x y" """)] // a change that is not one
    [InlineData(""" "modes":{"ver":5,"flags":"n"},"by":"al ice","text":"+n" """)] // a setter who is no nick
    [InlineData(""" "by":"alice","text":"+n" """)] // no modes at all
    public void ModesNoNodeWouldHaveSetAreRefused(string rest)
    {
        var json = "{" + Sender.Trim() + "," + rest.Trim() + "}";

        Assert.Null(_codec.TryDecode(Encoding.UTF8.GetBytes(json), out var rejection));
        Assert.Equal("malformed roommodes", rejection);
    }

    [Fact]
    public void MoreMasksThanAListHoldsAreRefused()
    {
        var masks = string.Join(',', Enumerable.Range(0, MaskList.MaxMasks + 1).Select(i => $"\"*!*@host{i}\""));
        var json = "{" + Sender.Trim() + ""","modes":{"ver":5,"flags":"n","b":[""" + masks + "]}}";

        Assert.Null(_codec.TryDecode(Encoding.UTF8.GetBytes(json), out _));
    }

    [Theory]
    [InlineData("+k sesame", true)]
    [InlineData("+tkb-i sesame *!*@spam", true)]
    [InlineData("-l", true)]
    [InlineData("k sesame", false)]
    [InlineData("+k  sesame", false)]
    [InlineData("+k :sesame", false)]
    [InlineData("+k\u0007", false)]
    [InlineData("+", false)]
    public void AChangeReadsAsIrcsModeShowsOne(string change, bool valid) => Assert.Equal(valid, RoomModesCodec.IsChange(change));
}
