using System.Text;
using CatChat.Backplane;
using CatChat.Chat;

namespace CatChat.Tests;

public class EnvelopeCodecTests
{
    private readonly EnvelopeCodec _codec = new(maxLineBytes: 4096);

    private static ClusterMessage From(ClusterMessageKind kind) => new(kind) { Node = "a-1f2e3d4c", NodeName = "a", Seq = 7 };

    public static TheoryData<ClusterMessage> EveryKind() =>
    [
        From(ClusterMessageKind.Say) with { Nick = "alice", Text = "hello" },
        From(ClusterMessageKind.Act) with { Nick = "alice", Text = "waves" },
        From(ClusterMessageKind.Join) with { ConnectionId = "0HN1:2", Nick = "guest-1234", Address = "127.0.0.1:5000", Since = DateTimeOffset.UnixEpoch },
        From(ClusterMessageKind.Join) with { ConnectionId = "0HN1:2", Nick = "guest-1234", Text = "guest-1234 has joined", Address = "::1", Since = DateTimeOffset.UnixEpoch },
        From(ClusterMessageKind.Leave) with { ConnectionId = "0HN1:2", Nick = "alice", Text = "alice has quit (lunch)", Reason = "quit: lunch" },
        From(ClusterMessageKind.Leave) with { ConnectionId = "0HN1:2", Nick = "alice" },
        From(ClusterMessageKind.Nick) with { ConnectionId = "0HN1:2", Nick = "guest-1234", NewNick = "alice" },
        From(ClusterMessageKind.Announce) with { Text = "restart at 5", By = "admin" },
        From(ClusterMessageKind.Banner) with { Lines = ["Meow", "", "Be nice"], By = "admin" },
        From(ClusterMessageKind.Private) with { Nick = "alice", To = "bob", Target = "b-00000000", Text = "psst" },
        From(ClusterMessageKind.Undelivered) with { Nick = "bob", To = "alice", Target = "a-00000000" },
        From(ClusterMessageKind.Invite) with { Nick = "alice", To = "bob", Target = "b-00000000", Room = "#cats" },
        From(ClusterMessageKind.Kick) with { Nick = "bob", Target = "b-00000000", Reason = "spamming", By = "admin" },
        From(ClusterMessageKind.Heartbeat) with { Users = 3 },
        From(ClusterMessageKind.Bye),
        From(ClusterMessageKind.ModesWanted),
        From(ClusterMessageKind.RoomSay) with { Nick = "alice", Text = "meow", Room = "#cats" },
        From(ClusterMessageKind.RoomAct) with { Nick = "alice", Text = "purrs", Room = "#Cats" },
        From(ClusterMessageKind.RoomAnnounce) with { Text = "vet at 5", By = "admin", Room = "#cats" },
        From(ClusterMessageKind.RoomSay) with { Nick = "alice", Text = "meow again", Room = "#cats", Prev = 3 },
        From(ClusterMessageKind.RoomJoin) with { ConnectionId = "0HN1:2", Nick = "alice", Room = "#cats" },
        From(ClusterMessageKind.RoomJoin) with { ConnectionId = "0HN1:2", Nick = "alice", Room = "#cats", Text = "alice has joined #cats" },
        From(ClusterMessageKind.RoomPart) with { ConnectionId = "0HN1:2", Nick = "alice", Room = "#cats", Reason = "bedtime" },
        From(ClusterMessageKind.RoomPart) with { ConnectionId = "0HN1:2", Nick = "alice", Room = "#cats", Reason = "removed: spam", Text = "alice was removed from #cats (spam)" },
        From(ClusterMessageKind.Join) with { ConnectionId = "0HN1:2", Nick = "guest-1234", Since = DateTimeOffset.UnixEpoch, Rooms = ["#lobby", "#cats"] },
        From(ClusterMessageKind.Topic) with { Room = "#cats", Text = "naps all day", By = "alice" },
        From(ClusterMessageKind.Kick) with { Nick = "bob", Target = "b-00000000", Reason = "spamming", By = "admin", Room = "#cats" },
        From(ClusterMessageKind.Say) with { Nick = "alice", Text = "hello", MessageId = "5f3a9c0d1e2b4a67c" },
        From(ClusterMessageKind.RoomSay) with { Nick = "alice", Text = "meow", Room = "#cats", MessageId = "5f3a9c0d1e2b4a67d" },
        From(ClusterMessageKind.Private) with { Nick = "alice", To = "bob", Target = "b-00000000", Text = "psst", MessageId = "5f3a9c0d1e2b4a67e" },
        From(ClusterMessageKind.Redact) with { Nick = "alice", MessageId = "5f3a9c0d1e2b4a67c" },
        From(ClusterMessageKind.RoomRedact) with { Nick = "alice", Room = "#cats", MessageId = "5f3a9c0d1e2b4a67d", Reason = "typo" },
        From(ClusterMessageKind.RoomRedact) with { Room = "#cats", MessageId = "5f3a9c0d1e2b4a67d", Reason = "by an administrator" },
    ];

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void EveryKindSurvivesTheRoundTrip(ClusterMessage message)
    {
        var decoded = _codec.TryDecode(EnvelopeCodec.Encode(message), out var rejection);

        Assert.Null(rejection);
        Assert.NotNull(decoded);
        Assert.Equal(message with { Lines = null, Rooms = null }, decoded with { Lines = null, Rooms = null });
        Assert.Equal(message.Lines, decoded.Lines);
        Assert.Equal(message.Rooms, decoded.Rooms);
    }

    [Fact]
    public void AMultilineMessagesLinesTravelWithItsFirstLineAndUnbelievableOnesAreLeftOut()
    {
        ClusterMessage? RoundTrip(ClusterMessage message) => _codec.TryDecode(EnvelopeCodec.Encode(message), out _);
        var first = From(ClusterMessageKind.RoomSay) with { Nick = "alice", Text = "hello", Room = "#cats", Parts = ["hello", "", "how is ", "everyone?"], ConcatParts = [3] };

        var decoded = RoundTrip(first)!;
        Assert.Equal(first.Parts, decoded.Parts);
        Assert.Equal(first.ConcatParts, decoded.ConcatParts);
        Assert.False(decoded.ContinuesMultiline);
        Assert.True(RoundTrip(From(ClusterMessageKind.RoomSay) with { Nick = "alice", Text = "how is ", Room = "#cats", ContinuesMultiline = true })!.ContinuesMultiline);
        Assert.Equal(["hi", "ok"], RoundTrip(first with { Parts = ["\u001b[2Jhi", "ok"], ConcatParts = null })!.Parts);

        // Too many lines, too many bytes, or a continuation of nothing: the line still arrives, as a line alone.
        foreach (var unbelievable in new[]
        {
            first with { Parts = [.. Enumerable.Repeat("x", MultilineMessage.MaxLines + 1)], ConcatParts = null },
            first with { Parts = [new string('y', MultilineMessage.MaxBytes + 1)], ConcatParts = null },
            first with { Parts = [null!], ConcatParts = null },
            first with { ConcatParts = [0] },
            first with { ConcatParts = [4] },
        })
        {
            var plain = RoundTrip(unbelievable)!;
            Assert.Equal("hello", plain.Text);
            Assert.Null(plain.Parts);
            Assert.Null(plain.ConcatParts);
        }
    }

    [Fact]
    public void AMessageIdThatCouldNotBeOneIsDroppedAndARedactionWithoutOneIsRefused()
    {
        ClusterMessage? RoundTrip(ClusterMessage message) => _codec.TryDecode(EnvelopeCodec.Encode(message), out _);

        // The line still arrives (the receiving node gives it an id of its own); a redaction of nothing does not.
        foreach (var bad in new[] { "a b", "x;y", "\u001b[2J", new string('7', 65), string.Empty })
        {
            var line = RoundTrip(From(ClusterMessageKind.RoomSay) with { Nick = "alice", Text = "meow", Room = "#cats", MessageId = bad });
            Assert.Equal("meow", line!.Text);
            Assert.Null(line.MessageId);
            Assert.Null(RoundTrip(From(ClusterMessageKind.RoomRedact) with { Nick = "alice", Room = "#cats", MessageId = bad }));
        }

        Assert.Null(RoundTrip(From(ClusterMessageKind.Redact) with { Nick = "alice" }));
        Assert.Null(RoundTrip(From(ClusterMessageKind.RoomRedact) with { Nick = "alice", MessageId = "abc" })); // No room.
        Assert.Null(RoundTrip(From(ClusterMessageKind.Redact) with { Nick = "alice", MessageId = "abc", Room = "#cats" })); // The default room's has none.
        Assert.Null(RoundTrip(From(ClusterMessageKind.RoomRedact) with { Nick = "al ice", Room = "#cats", MessageId = "abc" }));
        Assert.Equal("why", RoundTrip(From(ClusterMessageKind.RoomRedact) with { Nick = "alice", Room = "#cats", MessageId = "abc", Reason = "\u001b[2Jwhy\r\n" })!.Reason);
    }

    [Fact]
    public void EscapeSequencesAndLineBreaksInTextAreRemovedAgainOnArrival()
    {
        var json = """{"v":1,"kind":"say","node":"a-1","name":"a","seq":1,"nick":"mallory","text":"\u001b[2J\u001b]0;title\u0007hi\r\n*** you\u202e\u009b31m"}""";

        var decoded = _codec.TryDecode(Encoding.UTF8.GetBytes(json), out _);

        Assert.Equal("hi*** you", decoded?.Text);
    }

    [Fact]
    public void BannerLinesAndShortFieldsAreSanitisedToo()
    {
        var json = """{"v":1,"kind":"banner","node":"a-1","name":"a","seq":1,"lines":["ok\u001b[31m","\u0007","end"],"by":"ad\u001b[1mmin"}""";

        var decoded = _codec.TryDecode(Encoding.UTF8.GetBytes(json), out _);

        Assert.Equal(["ok", "", "end"], decoded?.Lines);
        Assert.Equal("admin", decoded?.By);
    }

    [Theory]
    [InlineData("""{"v":1,"kind":"roomsay","node":"a-1","name":"a","seq":1,"nick":"alice","text":"hi"}""")]
    [InlineData("""{"v":1,"kind":"roomsay","node":"a-1","name":"a","seq":1,"nick":"alice","text":"hi","room":"cats"}""")]
    [InlineData("""{"v":1,"kind":"roomact","node":"a-1","name":"a","seq":1,"nick":"alice","text":"hi","room":"#a b"}""")]
    public void ARoomLineWithoutAValidRoomIsDropped(string json)
    {
        Assert.Null(_codec.TryDecode(Encoding.UTF8.GetBytes(json), out var rejection));
        Assert.StartsWith("malformed room", rejection, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not a JSON envelope")]
    [InlineData("null", "empty")]
    [InlineData("[1,2,3]", "not a JSON envelope")]
    [InlineData("""{"v":2,"kind":"say","node":"a-1","name":"a","seq":1,"nick":"x","text":"y"}""", "unknown version")]
    [InlineData("""{"kind":"say","node":"a-1","name":"a","seq":1,"nick":"x","text":"y"}""", "unknown version")]
    [InlineData("""{"v":1,"kind":"shout","node":"a-1","name":"a","seq":1}""", "unknown kind")]
    [InlineData("""{"v":1,"kind":"Say","node":"a-1","name":"a","seq":1,"nick":"x","text":"y"}""", "unknown kind")]
    [InlineData("""{"v":1,"kind":3,"node":"a-1","name":"a","seq":1}""", "not a JSON envelope")]
    [InlineData("""{"v":1,"kind":"say","node":"a 1","name":"a","seq":1,"nick":"x","text":"y"}""", "no valid sender")]
    [InlineData("""{"v":1,"kind":"say","name":"a","seq":1,"nick":"x","text":"y"}""", "no valid sender")]
    [InlineData("""{"v":1,"kind":"say","node":"a-1","name":"a","seq":0,"nick":"x","text":"y"}""", "no valid sender")]
    [InlineData("""{"v":1,"kind":"say","node":"a-1","name":"a","seq":1,"nick":"x y","text":"y"}""", "malformed say")]
    [InlineData("""{"v":1,"kind":"say","node":"a-1","name":"a","seq":1,"nick":"*x*","text":"y"}""", "malformed say")]
    [InlineData("""{"v":1,"kind":"say","node":"a-1","name":"a","seq":1,"nick":"x","text":"\u001b[2J"}""", "malformed say")]
    [InlineData("""{"v":1,"kind":"say","node":"a-1","name":"a","seq":1,"nick":"x"}""", "malformed say")]
    [InlineData("""{"v":1,"kind":"join","node":"a-1","name":"a","seq":1,"nick":"x"}""", "malformed join")]
    [InlineData("""{"v":1,"kind":"join","node":"a-1","name":"a","seq":1,"cid":"c","nick":"x","text":"*** y has joined"}""", "malformed join")]
    [InlineData("""{"v":1,"kind":"leave","node":"a-1","name":"a","seq":1,"cid":"c","nick":"x","text":"*** Announcement: free pizza"}""", "malformed leave")]
    [InlineData("""{"v":1,"kind":"nick","node":"a-1","name":"a","seq":1,"cid":"c","nick":"x","new":"admin now"}""", "malformed nick")]
    [InlineData("""{"v":1,"kind":"private","node":"a-1","name":"a","seq":1,"nick":"x","to":"y","text":"z"}""", "malformed private")]
    [InlineData("""{"v":1,"kind":"kick","node":"a-1","name":"a","seq":1,"nick":"x","target":"b-1"}""", "malformed kick")]
    [InlineData("""{"v":1,"kind":"banner","node":"a-1","name":"a","seq":1,"lines":["a",null]}""", "malformed banner")]
    [InlineData("""{"v":1,"kind":"heartbeat","node":"a-1","name":"a","seq":1,"users":-1}""", "malformed heartbeat")]
    [InlineData("""{"v":1,"kind":"say","node":"a-1","name":"a","seq":1,"nick":"x","text":{"a":{"b":{"c":{"d":{"e":1}}}}}}""", "not a JSON envelope")]
    [InlineData("""{"v":1,"kind":"roomsay","node":"a-1","name":"a","seq":5,"prev":5,"nick":"x","text":"y","room":"#a"}""", "no valid sender")]
    [InlineData("""{"v":1,"kind":"roomsay","node":"a-1","name":"a","seq":5,"prev":-1,"nick":"x","text":"y","room":"#a"}""", "no valid sender")]
    [InlineData("""{"v":1,"kind":"roomjoin","node":"a-1","name":"a","seq":1,"nick":"x","room":"#a"}""", "malformed roomjoin")]
    [InlineData("""{"v":1,"kind":"roomjoin","node":"a-1","name":"a","seq":1,"cid":"c","nick":"x","room":"#a","text":"Announcement: free pizza"}""", "malformed roomjoin")]
    [InlineData("""{"v":1,"kind":"roompart","node":"a-1","name":"a","seq":1,"cid":"c","nick":"x","room":"#a","text":"y has left #a"}""", "malformed roompart")]
    [InlineData("""{"v":1,"kind":"topic","node":"a-1","name":"a","seq":1,"room":"lobby","text":"t"}""", "malformed topic")]
    [InlineData("""{"v":1,"kind":"topic","node":"a-1","name":"a","seq":1,"room":"#lobby"}""", "malformed topic")]
    [InlineData("""{"v":1,"kind":"join","node":"a-1","name":"a","seq":1,"cid":"c","nick":"x","rooms":["#a","b"]}""", "malformed join")]
    [InlineData("""{"v":1,"kind":"kick","node":"a-1","name":"a","seq":1,"nick":"x","target":"b-1","reason":"r","room":"#a b"}""", "malformed kick")]
    public void MalformedEnvelopesAreRefusedWithAReason(string json, string reason)
    {
        var decoded = _codec.TryDecode(Encoding.UTF8.GetBytes(json), out var rejection);

        Assert.Null(decoded);
        Assert.Equal(reason, rejection);
    }

    [Fact]
    public void AnEnvelopeOverTheSizeLimitIsRefusedBeforeParsing()
    {
        var huge = new byte[_codec.MaxEnvelopeBytes + 1];
        Array.Fill(huge, (byte)' ');

        Assert.Null(_codec.TryDecode(huge, out var rejection));
        Assert.Equal("too large", rejection);
    }

    [Fact]
    public void TextLongerThanALineMayBeIsRefused()
    {
        var message = From(ClusterMessageKind.Say) with { Nick = "x", Text = new string('y', _codec.MaxTextBytes + 1) };

        Assert.Null(_codec.TryDecode(EnvelopeCodec.Encode(message), out var rejection));
        Assert.Equal("malformed say", rejection);
    }

    [Theory]
    [InlineData("""{"nick":"alice","addr":"10.0.0.1:4000","since":"2026-01-02T03:04:05+00:00"}""", "alice")]
    [InlineData("""{"nick":"al ice"}""", null)]
    [InlineData("""{"addr":"x"}""", null)]
    [InlineData("garbage", null)]
    [InlineData("""{"nick":"alice","rooms":["#lobby","not a room"]}""", null)]
    public void MembersReadFromRedisAreCheckedLikeMessages(string json, string? nick)
    {
        var member = EnvelopeCodec.TryDecodeMember("b-1", "b", "cid-1", Encoding.UTF8.GetBytes(json));

        Assert.Equal(nick, member?.Nick);
    }

    [Fact]
    public void AMembersRoomsTravelWithTheirRecordEachOnce()
    {
        var json = """{"nick":"alice","rooms":["#lobby","#Cats","#cats"]}""";

        var member = EnvelopeCodec.TryDecodeMember("b-1", "b", "cid-1", Encoding.UTF8.GetBytes(json));

        Assert.Equal(["#lobby", "#Cats"], member?.Rooms);
    }

    [Fact]
    public void AMemberInManyRoomsWithLongNamesIsReadBackWithAllOfThem()
    {
        // 150 rooms of the longest name (--rooms-per-user allows it): a record of over 5 KB.
        var rooms = Enumerable.Range(0, 150).Select(i => "#" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + new string('x', 29)).ToList();
        var json = System.Text.Json.JsonSerializer.Serialize(new { nick = "alice", rooms });

        var member = EnvelopeCodec.TryDecodeMember("b-1", "b", "cid-1", Encoding.UTF8.GetBytes(json));

        Assert.Equal(rooms, member?.Rooms);
    }
}
