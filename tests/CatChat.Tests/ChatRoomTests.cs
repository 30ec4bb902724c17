using CatChat.Chat;
using CatChat.Protocol;

namespace CatChat.Tests;

public class ChatRoomTests
{
    private sealed class RecordingOutbox : IOutbox
    {
        public List<byte[]> Lines { get; } = [];

        public bool TryEnqueue(byte[] encodedLine)
        {
            Lines.Add(encodedLine);
            return true;
        }
    }

    private static (ChatRoom Room, ChatMember Member, RecordingOutbox Outbox) Join(ChatRoom? room = null)
    {
        room ??= new ChatRoom(new NicknamePolicy(), BannerText.Parse("hi"));
        var outbox = new RecordingOutbox();
        var member = new ChatMember("c", "127.0.0.1:1", DateTimeOffset.UnixEpoch, outbox, new RecordingConnection());
        Assert.True(room.TryJoin(member));
        return (room, member, outbox);
    }

    [Fact]
    public void JoiningGivesAUniqueGuestNickname()
    {
        var (room, first, _) = Join();
        var (_, second, _) = Join(room);

        Assert.Matches("^guest-[0-9]{4}$", first.Nick);
        Assert.NotEqual(first.Nick, second.Nick);
        Assert.Equal(2, room.Count);
    }

    [Fact]
    public async Task NicknamesAreUniqueIgnoringCase()
    {
        var (room, alice, _) = Join();
        var (_, bob, _) = Join(room);
        Assert.Null(await room.TryRenameAsync(alice, "Alice"));

        var refusal = await room.TryRenameAsync(bob, "ALICE");

        Assert.Equal("the nickname Alice is taken", refusal);
        Assert.Same(alice, room.Find("alice"));
    }

    [Fact]
    public async Task InvalidOrReservedNicknameIsRefusedWithTheReason()
    {
        var (room, member, _) = Join();

        Assert.Equal("the nickname Admin is reserved", await room.TryRenameAsync(member, "Admin"));
        Assert.Contains("only ASCII", await room.TryRenameAsync(member, "b\u043eb"), StringComparison.Ordinal);
    }

    [Fact]
    public void BroadcastHandsTheSameBytesToEveryoneButTheSender()
    {
        var (room, alice, aliceBox) = Join();
        var (_, _, bobBox) = Join(room);
        var (_, _, carolBox) = Join(room);

        room.Say(alice, "hi", TimeProvider.System.GetTimestamp());

        Assert.Empty(aliceBox.Lines);
        Assert.Same(bobBox.Lines.Single(), carolBox.Lines.Single());
        Assert.Equal(1, alice.LinesSent);
    }

    [Fact]
    public async Task LeavingFreesTheNickname()
    {
        var (room, alice, _) = Join();
        await room.TryRenameAsync(alice, "alice");
        var (_, bob, _) = Join(room);

        room.Leave(alice);

        Assert.Null(await room.TryRenameAsync(bob, "alice"));
        Assert.Equal(1, room.Count);
    }

    [Fact]
    public async Task NobodyJoinsOnceShutdownHasBegun()
    {
        var room = new ChatRoom(new NicknamePolicy(), BannerText.Parse(""));
        await room.ShutdownAsync(TimeSpan.FromSeconds(1));

        var member = new ChatMember("c", "x", DateTimeOffset.UnixEpoch, new RecordingOutbox(), new RecordingConnection());

        Assert.False(room.TryJoin(member));
    }
}
