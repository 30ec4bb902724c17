using CatChat.Chat;

namespace CatChat.Tests;

/// <summary>Lines taken back across nodes: one id everywhere, the redaction published after the line and applied on arrival.</summary>
public partial class ChatRoomClusterTests
{
    [Fact]
    public void ALinesIdTravelsWithItAndIsKeptInTheRecentLinesAndTheHistory()
    {
        var (alice, _) = Join("c1");
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out _, out _));

        var said = _room.SayIn(_room.FindRoom("#cats")!, alice, "meow", action: false, receivedAt: 0)!;
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomSay) with { Nick = "bob", Text = "purr", Room = "#cats", MessageId = "b-line-1" });

        var published = _backplane.Published.Last(message => message.Kind == ClusterMessageKind.RoomSay);
        Assert.Equal(said.MessageId, published.MessageId);
        Assert.Equal(said.MessageId, Assert.Single(_history.Entries).MessageId);
        Assert.Equal([said.MessageId, "b-line-1"], _room.FindRoom("#cats")!.Recent.Last(10).Select(entry => entry.MessageId));
    }

    [Fact]
    public void AnAuthorOrAnOperatorTakesALineBackOnEveryNodeAndNobodyElseMay()
    {
        var (alice, _) = Join("c1");
        var (carol, _) = Join("c2");
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out _, out _)); // The first: its operator.
        Assert.Null(_room.JoinRoom(carol, "#cats", false, out _, out _));
        var cats = _room.FindRoom("#cats")!;
        var alices = _room.SayIn(cats, alice, "mine", action: false, receivedAt: 0)!.MessageId;
        var carols = _room.SayIn(cats, carol, "hers", action: false, receivedAt: 0)!.MessageId;

        Assert.Equal(RedactionOutcome.Forbidden, _room.Redact(cats, carol, alices, reason: null));
        Assert.Equal(RedactionOutcome.UnknownMessage, _room.Redact(cats, carol, "no-such-id", reason: null));
        var (dave, _) = Join("c3");
        Assert.Equal(RedactionOutcome.NotInRoom, _room.Redact(cats, dave, carols, reason: null));
        Assert.Empty(_history.Redacted);

        Assert.Equal(RedactionOutcome.Redacted, _room.Redact(cats, alice, carols, reason: "spam"));
        Assert.Equal(RedactionOutcome.Redacted, _room.Redact(cats, alice, alices, reason: null));

        Assert.Equal([carols, alices], _history.Redacted);
        Assert.Empty(cats.Recent.Last(10));
        var published = _backplane.Published.Where(message => message.Kind == ClusterMessageKind.RoomRedact).ToList();
        Assert.Equal([(carols, alice.Nick, "spam", "#cats"), (alices, alice.Nick, null, "#cats")],
            published.Select(message => (message.MessageId, message.Nick, message.Reason, message.Room)));
    }

    [Fact]
    public void ARedactionFromAnotherNodeTakesTheLineOutOfTheRecentLinesAndTellsTheHistoryWriter()
    {
        var (alice, _) = Join("c1");
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out _, out _));
        _room.ApplyRemote(FromB(ClusterMessageKind.Say) with { Nick = "bob", Text = "in the lobby", MessageId = "b-1" });
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomSay) with { Nick = "bob", Text = "in cats", Room = "#cats", MessageId = "b-2" });
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomSay) with { Nick = "bob", Text = "kept", Room = "#cats", MessageId = "b-3" });

        _room.ApplyRemote(FromB(ClusterMessageKind.Redact) with { Nick = "bob", MessageId = "b-1" });
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomRedact) with { Nick = "bob", Room = "#CATS", MessageId = "b-2", Reason = "oops" });
        _room.ApplyRemote(FromB(ClusterMessageKind.RoomRedact) with { Nick = "bob", Room = "#dogs", MessageId = "b-9" }); // No member here.

        Assert.Empty(_room.Recent.Last(10));
        Assert.Equal(["kept"], _room.FindRoom("#cats")!.Recent.Last(10).Select(entry => entry.Text));
        Assert.Equal(["b-1", "b-2", "b-9"], _history.Redacted);
    }

    [Fact]
    public void AnAdministratorTakesBackAnyLineKnownHereOrNotAndEveryNodeIsTold()
    {
        var (alice, _) = Join("c1");
        Assert.Null(_room.JoinRoom(alice, "#cats", false, out _, out _));
        var said = _room.SayIn(_room.FindRoom("#cats")!, alice, "meow", action: false, receivedAt: 0)!.MessageId;
        _backplane.Published.Clear();

        Assert.True(_room.RedactAsAdministrator("#CATS", said, "abuse"));
        Assert.False(_room.RedactAsAdministrator(null, "older-line", reason: null)); // Stored only, perhaps.
        Assert.False(_room.RedactAsAdministrator("#dogs", "dog-line", reason: null)); // A room nobody here is in.

        Assert.Empty(_room.FindRoom("#cats")!.Recent.Last(10));
        Assert.Equal([said, "older-line", "dog-line"], _history.Redacted);
        Assert.Equal(
            [(ClusterMessageKind.RoomRedact, "#CATS", said, "abuse"), (ClusterMessageKind.Redact, null, "older-line", null), (ClusterMessageKind.RoomRedact, "#dogs", "dog-line", null)],
            _backplane.Published.Select(message => (message.Kind, message.Room, message.MessageId, message.Reason)));
        Assert.All(_backplane.Published, message => Assert.Null(message.Nick));
    }
}
