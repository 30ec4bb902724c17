using System.IO.Pipelines;
using System.Text;

namespace CatChat.Tests;

public class ChatSessionTests
{
    [Fact]
    public async Task NewConnectionIsGreetedWithBannerThenItsGuestNickname()
    {
        await using var chat = new InMemoryChat(o => o.Chat.Banner = "Hello\nSecond line");
        var client = chat.Open();

        await client.WaitForLineAsync(line => line.StartsWith("*** You are guest-", StringComparison.Ordinal));

        Assert.Equal(["Hello", "Second line"], client.Seen.Take(2));
        Assert.Matches(@"^\*\*\* You are guest-\d{4}\. Type /nick NAME to change it, /help for the commands\.$", client.Seen[2]);
    }

    [Fact]
    public async Task LineReachesEveryoneElseButNotItsSender()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");
        var carol = await chat.ConnectAsync("carol");

        await alice.SendAsync("hello all");
        await bob.WaitForLineAsync("<alice> hello all");
        await carol.WaitForLineAsync("<alice> hello all");
        await bob.SendAsync("marker");

        var aliceSaw = await alice.LinesBeforeAsync("<bob> marker");
        Assert.DoesNotContain("<alice> hello all", aliceSaw);
    }

    [Fact]
    public async Task LinesSplitIntoSingleBytesArriveWhole()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");

        foreach (var b in Encoding.UTF8.GetBytes("h\u00e9llo \u001b[31mw\u00f6rld\r\n"))
        {
            await alice.SendRawAsync([b]);
        }

        await bob.WaitForLineAsync("<alice> h\u00e9llo w\u00f6rld");
    }

    [Fact]
    public async Task OverlongLineIsRefusedAndConnectionStaysUsable()
    {
        await using var chat = new InMemoryChat(o => o.Chat.MaxLineBytes = 100);
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");

        await alice.SendAsync(new string('x', 101));
        await alice.WaitForLineAsync("! Line too long: the limit is 100 bytes. It was not sent.");
        await alice.SendAsync(new string('y', 100));

        var bobSaw = await bob.LinesBeforeAsync("<alice> " + new string('y', 100));
        Assert.DoesNotContain(bobSaw, line => line.Contains("xxx", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FloodControlDelaysExcessLinesInsteadOfDroppingThem()
    {
        await using var chat = new InMemoryChat(o =>
        {
            o.Sessions.FloodBurst = 3;
            o.Sessions.FloodLinesPerSecond = 1;
        });
        var alice = await chat.ConnectAsync();
        var bob = await chat.ConnectAsync();

        for (var i = 1; i <= 5; i++)
        {
            await alice.SendAsync("line " + i);
        }

        // The warning is sent just before the 4th line starts waiting: the burst is through, the rest held.
        await alice.WaitForLineAsync(line => line.StartsWith("! You are sending too fast", StringComparison.Ordinal));
        await bob.WaitForLineAsync($"<{alice.Nick}> line 3");
        Assert.DoesNotContain($"<{alice.Nick}> line 4", bob.Seen);

        // Each held line waits on the clock; it comes when its timer fires.
        var untilFourth = await chat.AdvanceToNextTimerAsync(TimeSpan.FromMilliseconds(100));
        await bob.WaitForLineAsync($"<{alice.Nick}> line 4");
        Assert.DoesNotContain($"<{alice.Nick}> line 5", bob.Seen);
        var untilFifth = await chat.AdvanceToNextTimerAsync(TimeSpan.FromMilliseconds(100));
        await bob.WaitForLineAsync($"<{alice.Nick}> line 5");

        Assert.True(untilFourth >= TimeSpan.FromSeconds(0.9), $"line 4 came after {untilFourth}");
        Assert.True(untilFifth >= TimeSpan.FromSeconds(0.9), $"line 5 came {untilFifth} after line 4");
        Assert.Single(alice.Seen, line => line.StartsWith("! You are sending too fast", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientThatKeepsFloodingPastTheBoundIsDisconnected()
    {
        await using var chat = new InMemoryChat(o =>
        {
            o.Sessions.FloodBurst = 1;
            o.Sessions.FloodLinesPerSecond = 1;
            o.Sessions.FloodDisconnectAfter = TimeSpan.FromSeconds(3);
        });
        var alice = await chat.ConnectAsync();
        var bob = await chat.ConnectAsync();

        for (var i = 1; i <= 10; i++)
        {
            await alice.SendAsync("spam " + i);
        }

        // Each held line waits on the clock for its turn: let the timers fire one by one until a line comes after the
        // flood has lasted past the bound, and alice is put out. She leaves the room before her session's last wait
        // on the clock (for its final flush), so that wait is never hurried along.
        for (var held = 0; chat.Room.Find(alice.Nick) is not null; held++)
        {
            Assert.True(held < 10, $"alice was still in the room after {held} of her held lines came through");
            await chat.AdvanceToNextTimerAsync(TimeSpan.FromMilliseconds(250), stop: () => chat.Room.Find(alice.Nick) is null);
        }

        await alice.WaitForLineAsync(line => line.StartsWith("! Excess flood", StringComparison.Ordinal));
        await bob.WaitForLineAsync($"*** {alice.Nick} has left (excess flood)");
        await alice.WaitUntilClosedAsync();
        Assert.DoesNotContain($"<{alice.Nick}> spam 10", bob.Seen);
    }

    [Fact]
    public async Task IdleConnectionIsClosedAfterTheIdleTimeout()
    {
        await using var chat = new InMemoryChat(o => o.Sessions.IdleTimeout = TimeSpan.FromSeconds(30));
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");

        chat.Time.Advance(TimeSpan.FromSeconds(20));
        await bob.SendAsync("still here");
        await alice.WaitForLineAsync("<bob> still here");
        chat.Time.Advance(TimeSpan.FromSeconds(15));

        await bob.WaitForLineAsync("*** alice has left (idle timeout)");
        await alice.WaitUntilClosedAsync();
        Assert.False(bob.Session.IsCompleted);
    }

    [Fact]
    public async Task JoinIsAnnouncedAfterTheDelayWhenTheClientSaysNothing()
    {
        await using var chat = new InMemoryChat(o => o.Sessions.JoinAnnounceDelay = TimeSpan.FromMilliseconds(250));
        var bob = await chat.ConnectAsync("bob");
        var guest = await chat.ConnectAsync();
        Assert.DoesNotContain($"*** {guest.Nick} has joined", bob.Seen);

        chat.Time.Advance(TimeSpan.FromMilliseconds(250));

        await bob.WaitForLineAsync($"*** {guest.Nick} has joined");
    }

    [Fact]
    public async Task WithPresenceNoticesOffNobodyHearsOfJoinsOrDepartures()
    {
        await using var chat = new InMemoryChat(o =>
        {
            o.Chat.PresenceNotices = false;
            o.Sessions.JoinAnnounceDelay = TimeSpan.FromMilliseconds(250);
        });
        var bob = await chat.ConnectAsync("bob");
        var quiet = await chat.ConnectAsync();
        var talker = await chat.ConnectAsync("talker");
        chat.Time.Advance(TimeSpan.FromSeconds(1));
        await talker.SendAsync("hello");
        await quiet.SendAsync("/quit");
        await quiet.WaitUntilClosedAsync();
        await talker.SendAsync("marker");

        var bobSaw = await bob.LinesBeforeAsync("<talker> marker");
        Assert.Contains("<talker> hello", bobSaw);
        Assert.DoesNotContain(bobSaw, line => line.Contains("has joined", StringComparison.Ordinal)
            || line.Contains("has quit", StringComparison.Ordinal) || line.Contains("has left", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HttpRequestIsClosedWithoutAnyoneHearingOfIt()
    {
        await using var chat = new InMemoryChat(o => o.Sessions.JoinAnnounceDelay = TimeSpan.FromMilliseconds(250));
        var bob = await chat.ConnectAsync("bob");
        var carol = await chat.ConnectAsync("carol");
        chat.Time.Advance(TimeSpan.FromSeconds(1));
        await carol.SendAsync("before");
        var seenBefore = (await bob.LinesBeforeAsync("<carol> before")).Count + 1;
        var browser = chat.Open();

        await browser.SendRawAsync(Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nHost: catchat:1400\r\nContent-Type: text/plain\r\n\r\nspam from a web page\r\n"));
        await browser.WaitUntilClosedAsync();
        chat.Time.Advance(TimeSpan.FromSeconds(1));
        await carol.SendAsync("marker");

        var bobSaw = (await bob.LinesBeforeAsync("<carol> marker")).Skip(seenBefore);
        Assert.DoesNotContain(bobSaw, line => line.Contains("spam", StringComparison.Ordinal)
            || line.Contains("has joined", StringComparison.Ordinal) || line.Contains("has left", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SlowConsumerIsDisconnectedAndNobodyWaitsForIt()
    {
        await using var chat = new InMemoryChat(o =>
        {
            o.Sessions.SendQueueBytes = 16 * 1024;
            o.Sessions.FloodBurst = 0;
        });
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");
        var stuck = chat.Open(new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512), reads: false);
        await stuck.SendAsync("/nick stuck");
        await bob.WaitForLineAsync(line => line.EndsWith(" is now known as stuck", StringComparison.Ordinal));

        // Batches bob keeps up with, adding up to far more than the stuck client's queue may hold.
        var payload = new string('z', 200);
        for (var batch = 0; batch < 20; batch++)
        {
            for (var i = 0; i < 20; i++)
            {
                await alice.SendAsync($"{batch}.{i} {payload}");
            }

            await bob.WaitForLineAsync($"<alice> {batch}.19 {payload}");
        }

        await stuck.WaitUntilClosedAsync();
        Assert.Contains("*** stuck has left (send queue exceeded)", bob.Seen);
        Assert.Equal(400, bob.Seen.Count(line => line.StartsWith("<alice> ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ShutdownTellsEveryClientAndEndsEveryConnection()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");

        await chat.Room.ShutdownAsync(TimeSpan.FromSeconds(10));

        await alice.WaitForLineAsync("*** Server is shutting down. Goodbye!");
        await bob.WaitForLineAsync("*** Server is shutting down. Goodbye!");
        await alice.WaitUntilClosedAsync();
        await bob.WaitUntilClosedAsync();
        Assert.Equal(0, chat.Room.Count);
        Assert.DoesNotContain(alice.Seen, line => line.Contains("has left", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientThatHangsUpMidLineSendsNothing()
    {
        await using var chat = new InMemoryChat();
        var alice = await chat.ConnectAsync("alice");
        var bob = await chat.ConnectAsync("bob");

        await alice.SendRawAsync("half a li"u8.ToArray());
        await alice.HangUpAsync();

        await bob.WaitForLineAsync("*** alice has left (connection closed)");
        Assert.DoesNotContain(bob.Seen, line => line.Contains("half", StringComparison.Ordinal));
    }
}
