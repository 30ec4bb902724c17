using System.Runtime.CompilerServices;
using CatChat.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatChat.BrowserTests;

/// <summary>The dashboard's rooms panel, against the real host with real TCP chat clients that join rooms.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RoomsPanelTests(BrowserFixture browser)
{
    private const string Markup = "<img src=x onerror=alert(1)> <b>bold</b>";

    [Fact]
    public async Task RoomsAreListedWithTheirCountsAndThePickedRoomShowsItsMembersAndOnlyItsLines()
    {
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);
        await dashboard.SignInUntilLiveAsync();

        // Joined after the dashboard is live: joining a room is no event of the stream, so the list must ask again.
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await JoinAsync(alice, "#somewhere");
        await JoinAsync(bob, "#somewhere");

        await Expect(dashboard.RoomItems).ToHaveCountAsync(2);
        await Expect(dashboard.RoomItems.First).ToHaveAttributeAsync("data-room", "#lobby");
        await Expect(dashboard.RoomCount("#lobby")).ToHaveTextAsync("3");
        await Expect(dashboard.RoomCount("#somewhere")).ToHaveTextAsync("2");
        await Expect(dashboard.RoomDetail).ToBeHiddenAsync();

        await dashboard.PickRoomUntilLiveAsync("#somewhere");
        await Expect(dashboard.RoomTitle).ToHaveTextAsync("#somewhere");
        await Expect(dashboard.RoomMembers).ToHaveTextAsync(["alice", "bob"]);
        await Expect(dashboard.RoomTopic).ToHaveTextAsync("(no topic)");

        // The feed shows every line, so once carol's is there the panel has been given it too, and passed it over.
        await dashboard.IncludeChatLines.CheckAsync();
        await carol.SendAsync("said only in the lobby");
        await Expect(dashboard.FeedEntries("message").First).ToContainTextAsync("said only in the lobby");
        await alice.SendAsync("said in somewhere");
        await bob.WaitForLineAsync("<alice> said in somewhere");

        await Expect(dashboard.RoomLines).ToHaveCountAsync(1);
        await Expect(dashboard.RoomLines.First).ToHaveAttributeAsync("data-kind", "message");
        await Expect(dashboard.RoomLines.First.Locator(".event-who")).ToHaveTextAsync("alice");
        await Expect(dashboard.RoomLines.First.Locator(".event-quote")).ToHaveTextAsync("said in somewhere");
        await Expect(dashboard.FeedEntries("message").First.Locator(".event-room")).ToHaveTextAsync("#somewhere");
        await dashboard.ScreenshotAsync("picked");

        await bob.SendAsync("/part #somewhere");
        await bob.WaitForLineAsync(line => line.StartsWith("*** You left #somewhere", StringComparison.Ordinal), "the part notice");

        await Expect(dashboard.RoomCount("#somewhere")).ToHaveTextAsync("1");
        await Expect(dashboard.RoomMembers).ToHaveTextAsync(["alice"]);
        dashboard.AssertNothingWentWrong();
    }

    [Fact]
    public async Task ATopicSetInThePanelReachesTheRoomsMembersAndShowsThereButNotOutsideTheRoom()
    {
        const string Topic = "Naps from two to four";
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);
        await dashboard.SignInUntilLiveAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await JoinAsync(bob, "#somewhere");
        await dashboard.PickRoomUntilLiveAsync("#somewhere");

        await dashboard.RoomTopicField.FillAsync(Topic);
        await dashboard.SetTopicButton.ClickAsync();

        var notice = await bob.WaitForLineAsync(line => line.StartsWith("*** ", StringComparison.Ordinal) && line.Contains(Topic, StringComparison.Ordinal), "the topic notice");
        Assert.Contains("#somewhere", notice, StringComparison.Ordinal);
        await Expect(dashboard.RoomTopicStatus).ToHaveTextAsync("Set. The members of #somewhere are told.");
        await Expect(dashboard.RoomTopic).ToHaveTextAsync(Topic);
        await Expect(dashboard.RoomLines.First).ToHaveAttributeAsync("data-kind", "topic");
        await Expect(dashboard.RoomLines.First.Locator(".event-quote")).ToHaveTextAsync(Topic);
        await Expect(dashboard.RoomTopicField).ToHaveValueAsync(string.Empty);

        // An announcement to everyone is a marker: carol gets it after anything sent to her before it.
        await dashboard.AnnouncementField.FillAsync("marker");
        await dashboard.SendAnnouncementButton.ClickAsync();
        var beforeMarker = await carol.LinesBeforeAsync("*** Announcement: marker");
        Assert.DoesNotContain(beforeMarker, line => line.Contains(Topic, StringComparison.Ordinal));
        dashboard.AssertNothingWentWrong();
    }

    [Fact]
    public async Task AnEmptyOrTooLongTopicIsRefusedWithAnErrorAndTheTopicStays()
    {
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);
        await dashboard.SignInUntilLiveAsync();
        await using var bob = await server.ConnectAsync("bob");
        await JoinAsync(bob, "#somewhere");
        await dashboard.PickRoomUntilLiveAsync("#somewhere");

        await dashboard.RoomTopicField.FillAsync("   ");
        await dashboard.SetTopicButton.ClickAsync();
        await Expect(dashboard.RoomTopicStatus).ToHaveTextAsync("Write a topic first.");
        await Expect(dashboard.RoomTopicStatus).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("message-error"));

        // The server's own refusal (400), shown as it words it.
        await dashboard.RoomTopicField.FillAsync(new string('z', 301));
        await dashboard.SetTopicButton.ClickAsync();
        await Expect(dashboard.RoomTopicStatus).ToContainTextAsync("longer than 300 bytes");
        await Expect(dashboard.RoomTopicStatus).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("message-error"));
        await Expect(dashboard.RoomTopic).ToHaveTextAsync("(no topic)");
        await Expect(dashboard.RoomTopicField).ToHaveValueAsync(new string('z', 301));
        dashboard.AssertNothingWentWrong();
    }

    [Fact]
    public async Task MarkupInARoomsLinesAndTopicIsShownAsLiteralText()
    {
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);
        await dashboard.SignInUntilLiveAsync();
        await using var eve = await server.ConnectAsync("eve");
        await using var bob = await server.ConnectAsync("bob");
        await JoinAsync(eve, "#somewhere");
        await JoinAsync(bob, "#somewhere");
        await dashboard.PickRoomUntilLiveAsync("#somewhere");

        await eve.SendAsync(Markup);
        await eve.SendAsync("/me " + Markup);
        await eve.SendAsync("/topic " + Markup);
        await bob.WaitForLineAsync(line => line.Contains("set the topic", StringComparison.Ordinal), "the topic notice");

        await Expect(dashboard.RoomLines).ToHaveCountAsync(3);
        await Expect(dashboard.RoomLines.Locator(".event-quote")).ToHaveTextAsync([Markup, Markup, Markup]);
        await Expect(dashboard.RoomTopic).ToHaveTextAsync(Markup);
        await Expect(dashboard.Page.Locator("img, b")).ToHaveCountAsync(0);
        await dashboard.ScreenshotAsync("literal-text");
        dashboard.AssertNothingWentWrong();
    }

    [Fact]
    public async Task TheRoomsPanelFitsAndWorksAtPhoneWidth()
    {
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
        });
        await dashboard.SignInUntilLiveAsync();
        await using var client = await server.ConnectAsync("a_rather_long_nickname");
        await JoinAsync(client, "#a_rather_long_room_name_for_it");

        await dashboard.RoomButton("#a_rather_long_room_name_for_it").TapAsync();
        await Expect(dashboard.RoomMembers).ToHaveTextAsync(["a_rather_long_nickname"]);
        await dashboard.RoomTopicField.FillAsync("Small screens welcome");
        await dashboard.SetTopicButton.TapAsync();

        await client.WaitForLineAsync(line => line.Contains("Small screens welcome", StringComparison.Ordinal), "the topic notice");
        await Expect(dashboard.RoomTopic).ToHaveTextAsync("Small screens welcome");
        await dashboard.RoomDetail.ScrollIntoViewIfNeededAsync();
        Assert.True(await dashboard.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "The dashboard scrolls sideways.");
        await dashboard.ScreenshotAsync("phone", fullPage: false);
        dashboard.AssertNothingWentWrong();
    }

    private static async Task JoinAsync(TcpChatClient client, string room)
    {
        await client.SendAsync("/join " + room);
        await client.WaitForLineAsync(line => line.StartsWith($"*** You joined {room} ", StringComparison.Ordinal), "the join notice");
    }

    private Task<DashboardPage> OpenAsync(
        ChatServer server, BrowserNewContextOptions? options = null, [CallerMemberName] string testName = "") =>
        DashboardPage.OpenAsync(browser.Browser, server, testName, options);
}
