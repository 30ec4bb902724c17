using System.Runtime.CompilerServices;
using CatChat.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatChat.BrowserTests;

/// <summary>The admin dashboard in a real browser, against the real host with real TCP chat clients.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserFixture browser)
{
    private const string Markup = "<img src=x onerror=alert(1)> <b>bold</b>";

    [Fact]
    public async Task SigningInWithAWrongTokenShowsAnErrorAndWithTheRightTokenShowsTheDashboard()
    {
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);

        await dashboard.SignInAsync("not-the-admin-token");

        await Expect(dashboard.SignInError).ToHaveTextAsync("That is not the admin token.");
        await Expect(dashboard.UserCount).ToBeHiddenAsync();
        await dashboard.ScreenshotAsync("wrong-token");

        await dashboard.SignInAsync();

        await Expect(dashboard.UserCount).ToBeVisibleAsync();
        await Expect(dashboard.LiveStatus).ToHaveTextAsync("Live");
        await Expect(dashboard.TokenField).ToBeHiddenAsync();
        dashboard.AssertNothingWentWrong();
    }

    [Fact]
    public async Task SigningOutReturnsToTheSignInFormAndStaysThereAfterAReload()
    {
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);
        await dashboard.SignInUntilLiveAsync();

        await dashboard.SignOutButton.ClickAsync();
        await Expect(dashboard.TokenField).ToBeVisibleAsync();
        await dashboard.Page.ReloadAsync();

        await Expect(dashboard.TokenField).ToBeVisibleAsync();
        await Expect(dashboard.UserCount).ToBeHiddenAsync();
        dashboard.AssertNothingWentWrong();
    }

    [Fact]
    public async Task UserCountRisesWhenAChatClientConnectsAndFallsWhenItLeaves()
    {
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);
        await dashboard.SignInUntilLiveAsync();
        await Expect(dashboard.UserCount).ToHaveTextAsync("0");

        var alice = await server.ConnectAsync("alice");
        await Expect(dashboard.UserCount).ToHaveTextAsync("1");
        await Expect(dashboard.UserRow("alice")).ToBeVisibleAsync();

        await alice.DisposeAsync();
        await Expect(dashboard.UserCount).ToHaveTextAsync("0");
        await Expect(dashboard.UserRows).ToHaveCountAsync(0);
        await Expect(dashboard.FeedEntries("leave").First).ToContainTextAsync("alice");
        dashboard.AssertNothingWentWrong();
    }

    [Fact]
    public async Task BannerSetInTheFormGreetsTheNextChatLogin()
    {
        const string Banner = "Welcome to the cat café!\nBe kind to every cat.";
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);
        await dashboard.SignInUntilLiveAsync();

        await dashboard.BannerField.FillAsync(Banner);
        await dashboard.SaveBannerButton.ClickAsync();

        await Expect(dashboard.BannerStatus).ToHaveTextAsync("Saved. New logins get this banner.");
        Assert.Equal(Banner, await dashboard.CurrentBanner.TextContentAsync());
        await using var newcomer = await server.ConnectAsync();
        Assert.Equal(["Welcome to the cat café!", "Be kind to every cat."], newcomer.Seen.Take(2));
        dashboard.AssertNothingWentWrong();
    }

    [Fact]
    public async Task KickingAUserFromTheTableDisconnectsThemAndRemovesTheirRow()
    {
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);
        await dashboard.SignInUntilLiveAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await Expect(dashboard.UserRows).ToHaveCountAsync(2);

        await dashboard.KickButton("bob").ClickAsync();
        await dashboard.KickDialog.GetByLabel("Reason (optional)").FillAsync("too many hairballs");
        await dashboard.KickDialog.GetByRole(AriaRole.Button, new() { Name = "Kick", Exact = true }).ClickAsync();

        await bob.WaitForLineAsync("*** You have been kicked: too many hairballs");
        await bob.WaitUntilClosedAsync();
        await Expect(dashboard.UserRow("bob")).ToHaveCountAsync(0);
        await Expect(dashboard.UserRow("carol")).ToBeVisibleAsync();
        await Expect(dashboard.KickDialog).ToBeHiddenAsync();
        await Expect(dashboard.FeedEntries("kick").First).ToContainTextAsync("too many hairballs");
        dashboard.AssertNothingWentWrong();
    }

    [Fact]
    public async Task MarkupInABannerAChatLineAndAnAnnouncementIsShownAsLiteralText()
    {
        const string Banner = "<img src=x onerror=alert(1)>\n<b>bold</b>";
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);
        await dashboard.SignInUntilLiveAsync();
        await dashboard.IncludeChatLinesUntilLiveAsync();
        await using var eve = await server.ConnectAsync("eve");

        await dashboard.BannerField.FillAsync(Banner);
        await dashboard.SaveBannerButton.ClickAsync();
        await eve.SendAsync(Markup);
        await dashboard.AnnouncementField.FillAsync(Markup);
        await dashboard.SendAnnouncementButton.ClickAsync();
        await eve.WaitForLineAsync("*** Announcement: " + Markup);

        var chatLine = dashboard.FeedEntries("message").Locator(".event-quote");
        var announcement = dashboard.FeedEntries("announce").Locator(".event-quote");
        var bannerChange = dashboard.FeedEntries("banner").Locator(".event-quote");
        await Expect(chatLine).ToHaveCountAsync(1);
        await Expect(announcement).ToHaveCountAsync(1);
        await Expect(bannerChange).ToHaveCountAsync(1);
        Assert.Equal(Markup, await chatLine.TextContentAsync());
        Assert.Equal(Markup, await announcement.TextContentAsync());
        Assert.Equal(Banner, await bannerChange.TextContentAsync());
        Assert.Equal(Banner, await dashboard.CurrentBanner.TextContentAsync());
        await Expect(dashboard.Page.Locator("img, b")).ToHaveCountAsync(0);
        await dashboard.ScreenshotAsync("literal-text");
        dashboard.AssertNothingWentWrong();
    }

    [Fact]
    public async Task SignInAndTheMainControlsFitAndWorkAtPhoneWidth()
    {
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
        });
        await Expect(dashboard.TokenField).ToBeVisibleAsync();
        await Expect(dashboard.SignInButton).ToBeVisibleAsync();
        Assert.True(await FitsTheWidthAsync(dashboard.Page), "The sign-in page scrolls sideways.");
        await dashboard.ScreenshotAsync("sign-in");

        await dashboard.SignInUntilLiveAsync();
        await using var client = await server.ConnectAsync("a_rather_long_nickname");

        await Expect(dashboard.UserCount).ToHaveTextAsync("1");
        await Expect(dashboard.KickButton("a_rather_long_nickname")).ToBeVisibleAsync();
        ILocator[] controls =
        [
            dashboard.SignOutButton, dashboard.Chart, dashboard.BannerField, dashboard.SaveBannerButton,
            dashboard.AnnouncementField, dashboard.SendAnnouncementButton, dashboard.IncludeChatLines,
        ];
        foreach (var control in controls)
        {
            await Expect(control).ToBeVisibleAsync();
        }

        await dashboard.AnnouncementField.FillAsync("Snacks in the kitchen");
        await dashboard.SendAnnouncementButton.TapAsync();
        await client.WaitForLineAsync("*** Announcement: Snacks in the kitchen");
        Assert.True(await FitsTheWidthAsync(dashboard.Page), "The dashboard scrolls sideways.");
        dashboard.AssertNothingWentWrong();
    }

    /// <summary>
    /// A busy dashboard for the README. Lines are sent after each stats tick, so the chart shows
    /// changing rates; with CATCHAT_DOCS_SCREENSHOT=1 the picture is also copied to docs/dashboard.png.
    /// </summary>
    [Fact]
    public async Task BusyDashboardShowsUsersEventsAndActivity()
    {
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            ColorScheme = ColorScheme.Light,
        });
        await dashboard.SignInUntilLiveAsync();
        await dashboard.IncludeChatLinesUntilLiveAsync();
        var points = await CurrentChartPointsAsync(dashboard.Page);

        await using var whiskers = await server.ConnectAsync("whiskers");
        await dashboard.WaitForChartPointsAsync(++points);
        await using var mittens = await server.ConnectAsync("mittens");
        await whiskers.SendAsync("good morning, everyone");
        await dashboard.WaitForChartPointsAsync(++points);
        await using var socks = await server.ConnectAsync();
        await socks.SendAsync("/nick socks");
        await mittens.SendAsync("/me stretches and yawns");
        await mittens.SendAsync("/join #naps");
        await mittens.WaitForLineAsync(line => line.StartsWith("*** You joined #naps", StringComparison.Ordinal), "the join notice");
        await dashboard.PickRoomUntilLiveAsync("#naps");
        await whiskers.SendAsync("anyone seen the red dot?");
        await dashboard.WaitForChartPointsAsync(++points);
        await dashboard.BannerField.FillAsync("Welcome to CatChat!\nBe nice. No hissing.");
        await dashboard.SaveBannerButton.ClickAsync();
        for (var burst = 1; burst <= 4; burst++)
        {
            for (var line = 0; line < burst; line++)
            {
                await socks.SendAsync($"meow #{burst}.{line}");
                await mittens.SendAsync("purr");
            }

            await dashboard.WaitForChartPointsAsync(++points);
        }

        await dashboard.AnnouncementField.FillAsync("Maintenance tonight at 22:00, back in five minutes.");
        await dashboard.SendAnnouncementButton.ClickAsync();
        await whiskers.SendAsync("thanks for the heads-up");
        await dashboard.WaitForChartPointsAsync(++points);

        await Expect(dashboard.UserRows).ToHaveCountAsync(3);
        await Expect(dashboard.UserCount).ToHaveTextAsync("3");
        await Expect(dashboard.FeedEntries("announce")).ToHaveCountAsync(1);
        await Expect(dashboard.FeedEntries("message").First).ToContainTextAsync("thanks for the heads-up");
        await Expect(dashboard.RoomLines.Filter(new() { HasText = "purr" })).ToHaveCountAsync(10);
        var picture = await dashboard.ScreenshotAsync("dashboard");
        if (Environment.GetEnvironmentVariable("CATCHAT_DOCS_SCREENSHOT") == "1")
        {
            File.Copy(picture, Path.Combine(RepositoryRoot(), "docs", "dashboard.png"), overwrite: true);
        }

        dashboard.AssertNothingWentWrong();
    }

    private Task<DashboardPage> OpenAsync(
        ChatServer server, BrowserNewContextOptions? options = null, [CallerMemberName] string testName = "") =>
        DashboardPage.OpenAsync(browser.Browser, server, testName, options);

    private static Task<bool> FitsTheWidthAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

    private static Task<int> CurrentChartPointsAsync(IPage page) =>
        page.EvaluateAsync<int>("() => Number(document.getElementById('activity-chart').dataset.points)");

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CatChat.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (CatChat.slnx).");
    }
}
