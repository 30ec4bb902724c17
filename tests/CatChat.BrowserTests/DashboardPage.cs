using CatChat.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatChat.BrowserTests;

/// <summary>The dashboard of one test's server (<see cref="BrowserPage"/>): names the page's parts.</summary>
internal sealed class DashboardPage : BrowserPage
{
    private DashboardPage(IBrowserContext context, IPage page, ChatServer server, string testName)
        : base(context, page, testName, fullPageScreenshots: true)
    {
        Server = server;
    }

    public ChatServer Server { get; }

    public ILocator TokenField => Page.GetByLabel("Admin token");

    public ILocator SignInButton => Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true });

    public ILocator SignInError => Page.Locator("#sign-in-error");

    public ILocator SignOutButton => Page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true });

    public ILocator LiveStatus => Page.Locator("#live-status");

    public ILocator UserCount => Page.Locator("#user-count");

    public ILocator Chart => Page.Locator("#activity-chart");

    public ILocator UserRows => Page.Locator("#users-table tbody tr");

    public ILocator CurrentBanner => Page.Locator("#banner-current");

    public ILocator BannerField => Page.GetByLabel("New banner");

    public ILocator SaveBannerButton => Page.GetByRole(AriaRole.Button, new() { Name = "Save banner", Exact = true });

    public ILocator BannerStatus => Page.Locator("#banner-status");

    public ILocator AnnouncementField => Page.GetByLabel("Message to everyone in the chat");

    public ILocator SendAnnouncementButton => Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true });

    public ILocator IncludeChatLines => Page.GetByLabel("Include chat lines");

    public ILocator Feed => Page.Locator("#event-feed");

    public ILocator KickDialog => Page.GetByRole(AriaRole.Dialog);

    public ILocator History => Page.Locator("#history");

    public ILocator HistorySearchField => Page.GetByLabel("Search history (text or nick)");

    public ILocator HistorySearchButton => History.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true });

    /// <summary>The history lines shown, newest first; each has data-kind and data-nick.</summary>
    public ILocator HistoryRows => Page.Locator("#history-table tbody tr");

    public ILocator HistoryEmpty => Page.Locator("#history-empty");

    public ILocator HistoryStatus => Page.Locator("#history-status");

    public ILocator LoadOlderButton => History.GetByRole(AriaRole.Button, new() { Name = "Load older", Exact = true });

    public ILocator Rooms => Page.Locator("#rooms");

    /// <summary>The rooms listed, in order; each has data-room.</summary>
    public ILocator RoomItems => Page.Locator("#rooms-list li");

    public ILocator RoomDetail => Page.Locator("#room-detail");

    public ILocator RoomTitle => Page.Locator("#room-title");

    public ILocator RoomTopic => Page.Locator("#room-topic");

    public ILocator RoomMembers => Page.Locator("#room-members li");

    /// <summary>The picked room's lines, newest first; each has data-kind.</summary>
    public ILocator RoomLines => Page.Locator("#room-lines li");

    public ILocator RoomTopicField => Page.GetByLabel("New topic");

    public ILocator SetTopicButton => Rooms.GetByRole(AriaRole.Button, new() { Name = "Set topic", Exact = true });

    public ILocator RoomTopicStatus => Page.Locator("#room-topic-status");

    /// <summary>Opens the dashboard of <paramref name="server"/> in a new context (desktop size unless told).</summary>
    public static async Task<DashboardPage> OpenAsync(
        IBrowser browser, ChatServer server, string testName, BrowserNewContextOptions? options = null)
    {
        var context = await browser.NewContextAsync(options ?? new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        var dashboard = new DashboardPage(context, page, server, testName);
        await page.GotoAsync(server.HttpBase.ToString());
        return dashboard;
    }

    public ILocator UserRow(string nick) => Page.Locator($"#users-table tbody tr[data-nick='{nick}']");

    public ILocator KickButton(string nick) => Page.GetByRole(AriaRole.Button, new() { Name = "Kick " + nick, Exact = true });

    /// <summary>The room's button in the rooms list.</summary>
    public ILocator RoomButton(string room) => Page.Locator($"#rooms-list li[data-room='{room}'] button");

    /// <summary>The number of members the rooms list shows for the room.</summary>
    public ILocator RoomCount(string room) => Page.Locator($"#rooms-list li[data-room='{room}'] .room-count-figure");

    /// <summary>Picks a room in the rooms panel and waits until the stream, reopened with chat lines, delivers.</summary>
    public async Task PickRoomUntilLiveAsync(string room)
    {
        await RoomButton(room).ClickAsync();
        await Expect(RoomButton(room)).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(LiveStatus).ToHaveTextAsync("Live");
    }

    /// <summary>The feed entries of one kind (join, leave, message, banner…), newest first.</summary>
    public ILocator FeedEntries(string kind) => Feed.Locator($"li[data-kind='{kind}']");

    public async Task SignInAsync(string? token = null)
    {
        await TokenField.FillAsync(token ?? Server.AdminToken);
        await SignInButton.ClickAsync();
    }

    /// <summary>Signs in and waits until the event stream delivers, so no later event is missed.</summary>
    public async Task SignInUntilLiveAsync()
    {
        await SignInAsync();
        await Expect(LiveStatus).ToHaveTextAsync("Live");
    }

    /// <summary>Turns on chat lines in the feed and waits until the reopened stream delivers.</summary>
    public async Task IncludeChatLinesUntilLiveAsync()
    {
        await IncludeChatLines.CheckAsync();
        await Expect(LiveStatus).ToHaveTextAsync("Live");
    }

    /// <summary>Searches the history with the Search button (or, with <paramref name="pressEnter"/>, the Enter key).</summary>
    public async Task SearchHistoryAsync(string text, bool pressEnter = false)
    {
        await HistorySearchField.FillAsync(text);
        if (pressEnter)
        {
            await HistorySearchField.PressAsync("Enter");
        }
        else
        {
            await HistorySearchButton.ClickAsync();
        }
    }

    /// <summary>Makes the history panel ask for pages of <paramref name="lines"/> lines instead of 50.</summary>
    public Task SetHistoryPageSizeAsync(int lines) =>
        History.EvaluateAsync("(section, size) => { section.dataset.pageSize = size; }", lines.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The texts of the history lines shown, top to bottom.</summary>
    public Task<IReadOnlyList<string>> HistoryTextsAsync() => HistoryRows.Locator(".history-text").AllTextContentsAsync();

    /// <summary>The history lines shown whose text contains <paramref name="text"/>.</summary>
    public ILocator HistoryRow(string text) => HistoryRows.Filter(new() { HasText = text });

    /// <summary>A history line's Delete button, which asks "Delete? Yes / No" in its place.</summary>
    public static ILocator DeleteLineButton(ILocator row) => row.GetByRole(AriaRole.Button, new() { Name = "Delete this line", Exact = true });

    public static ILocator ConfirmDeleteButton(ILocator row) => row.GetByRole(AriaRole.Button, new() { Name = "Yes, delete this line", Exact = true });

    public static ILocator KeepLineButton(ILocator row) => row.GetByRole(AriaRole.Button, new() { Name = "No, keep this line", Exact = true });

    /// <summary>Waits until the chart holds at least <paramref name="points"/> stats readings.</summary>
    public Task WaitForChartPointsAsync(int points) => Page.WaitForFunctionAsync(
        "n => Number(document.getElementById('activity-chart').dataset.points) >= n", points);
}
