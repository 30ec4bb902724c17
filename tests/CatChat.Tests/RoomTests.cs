using CatChat.Chat;

namespace CatChat.Tests;

/// <summary>Rooms as a netcat user meets them: every login in the default room, more rooms by /join.</summary>
public sealed class RoomTests
{
    [Fact]
    public async Task EveryLoginStartsInTheDefaultRoom()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");

        await alice.SendAsync("/rooms");

        await alice.WaitForLineAsync("*** 1 room:");
        await alice.WaitForLineAsync("***   #lobby (1)");
    }

    [Fact]
    public async Task ALineInARoomReachesItsMembersAndNobodyElse()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");
        var carol = await chat.ConnectAsync("carol");
        await alice.SendAsync("/join #cats");
        await alice.WaitForLineAsync("*** You joined #cats (you are its first member); your lines go there now. /part leaves it.");
        await bob.SendAsync("/join #Cats");
        await bob.WaitForLineAsync("*** You joined #cats (2 members); your lines go there now. /part leaves it.");
        await alice.WaitForLineAsync("*** bob has joined #cats");

        await alice.SendAsync("meow");
        await bob.WaitForLineAsync("<alice> meow");
        await alice.SendAsync("/join #lobby");
        await alice.SendAsync("marker");

        var carolSaw = await carol.LinesBeforeAsync("<alice> marker");
        Assert.DoesNotContain(carolSaw, line => line.Contains("meow", StringComparison.Ordinal));
        Assert.DoesNotContain(carolSaw, line => line.Contains("#cats", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LinesOfAJoinedRoomThatIsNotCurrentComeWithItsName()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");
        await bob.SendAsync("/join #cats");
        await bob.WaitForLineAsync(line => line.StartsWith("*** You joined #cats", StringComparison.Ordinal));

        await alice.SendAsync("anyone around?");
        await alice.SendAsync("/me waves");

        await bob.WaitForLineAsync("#lobby <alice> anyone around?");
        await bob.WaitForLineAsync("#lobby * alice waves");
    }

    [Fact]
    public async Task ARefusedRoomNameGetsAnErrorAndNothingElse()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");

        await alice.SendAsync("/join lobby");
        await alice.WaitForLineAsync("! Cannot join lobby: a room name starts with # and has at least one more character.");
        await alice.SendAsync("/join #\u0441ats");
        await alice.WaitForLineAsync(line => line.StartsWith("! Cannot join #", StringComparison.Ordinal) && line.EndsWith("only letters, digits, - and _ after the #.", StringComparison.Ordinal));
        await alice.SendAsync("still here");

        var bobSaw = await bob.LinesBeforeAsync("<alice> still here");
        Assert.DoesNotContain(bobSaw, line => line.Contains("join", StringComparison.OrdinalIgnoreCase));
        Assert.Single(chat.Room.Rooms);
    }

    [Fact]
    public async Task PartingTheLastRoomLeavesNoWhereToTalkUntilTheNextJoin()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");

        await alice.SendAsync("/part off to the garden");
        await alice.WaitForLineAsync("*** You left #lobby. You are in no room now: /join one to talk.");
        await bob.WaitForLineAsync("*** alice has left #lobby (off to the garden)");
        await alice.SendAsync("hello?");
        await alice.WaitForLineAsync("! You are in no room: /join one first (/rooms lists them).");

        await alice.SendAsync("/join #lobby");
        await alice.SendAsync("back");
        await bob.WaitForLineAsync("<alice> back");
    }

    [Fact]
    public async Task PartingARoomThatIsNotCurrentKeepsTheCurrentOne()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");
        await alice.SendAsync("/join #cats");
        await alice.SendAsync("/join #dogs");

        await alice.SendAsync("/part #cats");

        await alice.WaitForLineAsync("*** You left #cats. Your current room is #dogs.");
        await alice.SendAsync("/part #cats");
        await alice.WaitForLineAsync("! You are not in #cats.");
    }

    [Fact]
    public async Task ARoomEndsWithItsLastMember()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");
        await alice.SendAsync("/join #cats");
        await alice.WaitForLineAsync(line => line.StartsWith("*** You joined #cats", StringComparison.Ordinal));
        Assert.NotNull(chat.Room.FindRoom("#cats"));

        await alice.SendAsync("/part #cats");
        await alice.WaitForLineAsync(line => line.StartsWith("*** You left #cats", StringComparison.Ordinal));

        Assert.Null(chat.Room.FindRoom("#cats"));
    }

    [Fact]
    public async Task AUserMayBeInOnlySoManyRooms()
    {
        await using var chat = new InMemoryChat();
        chat.Room.RoomLimits = chat.Room.RoomLimits with { RoomsPerUser = 2 };
        var alice = await chat.ConnectAsync("alice");

        await alice.SendAsync("/join #cats");
        await alice.SendAsync("/join #dogs");

        await alice.WaitForLineAsync("! Cannot join #dogs: you are in 2 rooms, the most one may be in. /part one first.");
    }

    [Fact]
    public async Task AFullRoomRefusesTheNextJoin()
    {
        await using var chat = new InMemoryChat();
        chat.Room.RoomLimits = chat.Room.RoomLimits with { MembersPerRoom = 1 };
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");
        await alice.SendAsync("/join #cats");
        await alice.WaitForLineAsync(line => line.StartsWith("*** You joined #cats", StringComparison.Ordinal));

        await bob.SendAsync("/join #cats");

        await bob.WaitForLineAsync("! Cannot join #cats: it is full (1 members).");
    }

    [Fact]
    public async Task TheServerHoldsOnlySoManyRooms()
    {
        await using var chat = new InMemoryChat();
        chat.Room.RoomLimits = chat.Room.RoomLimits with { RoomsPerServer = 2 };
        var alice = await chat.ConnectAsync("alice");

        await alice.SendAsync("/join #cats");
        await alice.SendAsync("/join #dogs");
        await alice.SendAsync("/join #birds");

        // The default room does not count: it is there for every login.
        await alice.WaitForLineAsync("! Cannot join #birds: the server has 2 rooms, the most it may have. Join one of them.");
    }

    [Fact]
    public async Task TheTopicIsSetForTheRoomAndShownToWhoeverJoins()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");
        await alice.SendAsync("/join #cats");
        await alice.SendAsync("/topic cats only, please");
        await alice.WaitForLineAsync("*** alice set the topic of #cats: cats only, please");

        await bob.SendAsync("/join #cats");

        await bob.WaitForLineAsync("*** Topic of #cats: cats only, please");
        await bob.SendAsync("/topic");
        await bob.WaitForLineAsync("*** Topic of #cats: cats only, please");
        await bob.SendAsync("/rooms");
        await bob.WaitForLineAsync("***   #cats (2) cats only, please");
    }

    [Fact]
    public async Task WhoOfARoomListsItsMembers()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");
        await chat.ConnectAsync("carol");
        await alice.SendAsync("/join #cats");
        await alice.WaitForLineAsync(line => line.StartsWith("*** You joined #cats", StringComparison.Ordinal));
        await bob.SendAsync("/join #cats");
        await alice.WaitForLineAsync("*** bob has joined #cats");

        await carolAsks(chat, "/who #CATS", "*** 2 in #cats: alice, bob");
        await alice.SendAsync("/who #nowhere");
        await alice.WaitForLineAsync("! No such room: #nowhere.");

        static async Task carolAsks(InMemoryChat chat, string command, string answer)
        {
            var carol = await chat.ConnectAsync();
            await carol.SendAsync(command);
            await carol.WaitForLineAsync(answer);
        }
    }

    [Fact]
    public async Task RenamesAndQuitsReachEveryoneWhoSharesARoomOnce()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");
        await alice.SendAsync("/join #cats");
        await alice.WaitForLineAsync(line => line.StartsWith("*** You joined #cats", StringComparison.Ordinal));
        await bob.SendAsync("/join #cats");
        await alice.WaitForLineAsync("*** bob has joined #cats");

        await alice.SendAsync("/nick alicia");
        await bob.WaitForLineAsync("*** alice is now known as alicia");
        await alice.SendAsync("/quit bye");
        await bob.WaitForLineAsync("*** alicia has quit (bye)");
        await bob.SendAsync("/msg bob marker");

        var bobSaw = await bob.LinesBeforeAsync("-> *bob* marker");
        Assert.Single(bobSaw, line => line == "*** alice is now known as alicia");
        Assert.Single(bobSaw, line => line == "*** alicia has quit (bye)");
    }

    [Fact]
    public async Task HistoryOfARoomShowsItsOwnLines()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");
        await alice.SendAsync("in the lobby");
        await alice.SendAsync("/join #cats");
        await alice.SendAsync("meow");

        await alice.SendAsync("/history");

        await alice.WaitForLineAsync("*** Last line of #cats:");
        await alice.WaitForLineAsync(line => line.EndsWith("] <alice> meow", StringComparison.Ordinal));
        Assert.Equal(RoomLimits.Default.DefaultRoom, chat.Room.Rooms[0].Name);
    }
}
