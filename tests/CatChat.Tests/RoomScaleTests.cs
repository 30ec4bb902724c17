using System.Diagnostics;
using CatChat.Chat;
using CatChat.Protocol;
using Xunit.Abstractions;

namespace CatChat.Tests;

/// <summary>Ten thousand rooms of one member each, and one room of ten thousand: both work, and say how long they took.</summary>
public sealed class RoomScaleTests(ITestOutputHelper output)
{
    private const int Members = 10_000;

    private sealed class CountingOutbox : IOutbox
    {
        public int Lines { get; private set; }

        public byte[]? Last { get; private set; }

        public bool TryEnqueue(byte[] encodedLine)
        {
            Lines++;
            Last = encodedLine;
            return true;
        }
    }

    private static (ChatRoom Chat, List<(ChatMember Member, CountingOutbox Outbox)> Members) Crowd()
    {
        var chat = new ChatRoom(new NicknamePolicy(), BannerText.Parse("hi"));
        var members = new List<(ChatMember, CountingOutbox)>(Members);
        for (var i = 0; i < Members; i++)
        {
            var outbox = new CountingOutbox();
            var member = new ChatMember("c" + i, "127.0.0.1:1", DateTimeOffset.UnixEpoch, outbox, new RecordingConnection());
            Assert.True(chat.TryJoin(member));
            members.Add((member, outbox));
        }

        return (chat, members);
    }

    [Fact]
    public void TenThousandRoomsOfOneMemberEachWork()
    {
        var (chat, members) = Crowd();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Members; i++)
        {
            Assert.Null(chat.JoinRoom(members[i].Member, "#room-" + i, false, out _, out _));
        }

        var joined = clock.Elapsed;
        Assert.Equal(Members + 1, chat.Rooms.Count);

        // A line in a room of one reaches nobody; a line in the default room reaches everyone, under its name.
        Assert.True(chat.Say(members[5].Member, "alone", 0));
        Assert.All(members, m => Assert.Equal(0, m.Outbox.Lines));
        Assert.Null(chat.JoinRoom(members[0].Member, "#lobby", false, out _, out _));
        clock.Restart();
        Assert.True(chat.Say(members[0].Member, "hello all", 0));
        var said = clock.Elapsed;
        Assert.Equal(Members - 1, members.Skip(1).Count(m => m.Outbox.Lines == 1));
        Assert.Equal($"#lobby <{members[0].Member.Nick}> hello all\r\n", System.Text.Encoding.UTF8.GetString(members[1].Outbox.Last!));

        // The next room is past the default limit of 10,000 besides the default one.
        Assert.NotNull(chat.JoinRoom(members[1].Member, "#one-too-many", false, out _, out _));
        output.WriteLine($"{Members:N0} rooms joined in {joined.TotalMilliseconds:F0} ms; one line to {Members - 1:N0} members of other rooms in {said.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public void OneRoomOfTenThousandMembersWorks()
    {
        var (chat, members) = Crowd();
        var clock = Stopwatch.StartNew();
        foreach (var (member, _) in members)
        {
            Assert.Null(chat.JoinRoom(member, "#big", false, out _, out _));
        }

        var joined = clock.Elapsed;
        Assert.Equal(Members, chat.FindRoom("#BIG")!.Count);

        clock.Restart();
        Assert.True(chat.Say(members[0].Member, "hello big room", 0));
        var said = clock.Elapsed;
        Assert.Equal(Members - 1, members.Count(m => m.Outbox.Lines == 1));
        Assert.Equal($"<{members[0].Member.Nick}> hello big room\r\n", System.Text.Encoding.UTF8.GetString(members[1].Outbox.Last!));

        Assert.Null(chat.PartRoom(members[1].Member, "#big", "", false, out _));
        Assert.Equal(Members - 1, chat.FindRoom("#big")!.Count);
        output.WriteLine($"{Members:N0} joins of one room in {joined.TotalMilliseconds:F0} ms; one line to {Members - 1:N0} in {said.TotalMilliseconds:F1} ms");
    }
}
