using System.Runtime.CompilerServices;
using CatChat.Chat;
using CatChat.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatChat.BrowserTests;

/// <summary>The dashboard's history panel, searching and paging through lines chatted over real TCP.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HistoryTests(BrowserFixture browser)
{
    private const string Markup = "kibble <img src=x onerror=alert(1)> <b>bold</b>";

    [Fact]
    public async Task LinesChattedOverTcpAppearInTheHistoryAfterSearchingAndMarkupStaysLiteralText()
    {
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);
        await dashboard.SignInUntilLiveAsync();
        await Expect(dashboard.HistoryEmpty).ToHaveTextAsync("No chat history is stored yet.");
        await using var tabby = await server.ConnectAsync("tabby");
        await using var tom = await server.ConnectAsync("tom");

        // Each line is relayed before the next is sent, so the history has them in this order.
        await tabby.SendAsync("kibble time");
        await tom.WaitForLineAsync("<tabby> kibble time");
        await tom.SendAsync("/me wants kibble");
        await tabby.WaitForLineAsync("* tom wants kibble");
        await tabby.SendAsync(Markup);
        await tom.WaitForLineAsync("<tabby> " + Markup);
        await tom.SendAsync("nap time");
        await tabby.WaitForLineAsync("<tom> nap time");
        // Two joins, two renames and four lines.
        await server.WaitUntilHistoryStoredAsync(8);
        await dashboard.SearchHistoryAsync("kibble");

        await Expect(dashboard.HistoryRows).ToHaveCountAsync(3);
        Assert.Equal([Markup, "wants kibble", "kibble time"], await dashboard.HistoryTextsAsync());
        var newest = dashboard.HistoryRows.First;
        await Expect(newest).ToHaveAttributeAsync("data-kind", "message");
        await Expect(newest.Locator(".history-nick")).ToHaveTextAsync("tabby");
        await Expect(newest.Locator(".history-kind")).ToHaveTextAsync("message");
        await Expect(newest.Locator("time")).ToHaveAttributeAsync("datetime", new System.Text.RegularExpressions.Regex("^\\d{4}-\\d\\d-\\d\\dT"));
        await Expect(dashboard.HistoryRows.Nth(1)).ToHaveAttributeAsync("data-kind", "action");
        await Expect(dashboard.HistoryRows.Nth(1).Locator(".history-nick")).ToHaveTextAsync("tom");
        await Expect(dashboard.History.Locator("img, b")).ToHaveCountAsync(0);
        await Expect(dashboard.LoadOlderButton).ToBeHiddenAsync();
        await Expect(dashboard.HistoryEmpty).ToBeHiddenAsync();
        await dashboard.ScreenshotAsync("history-search");
        dashboard.AssertNothingWentWrong();
    }

    [Fact]
    public async Task SearchingTheHistoryByNickShowsOnlyThatNicksLinesAndSaysWhenNothingMatches()
    {
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);
        await dashboard.SignInUntilLiveAsync();
        await using var tabby = await server.ConnectAsync("tabby");
        await using var tom = await server.ConnectAsync("tom");

        await tabby.SendAsync("good morning");
        await tom.WaitForLineAsync("<tabby> good morning");
        await tom.SendAsync("hello there");
        await tabby.SendAsync("/me stretches");
        await tom.WaitForLineAsync("* tabby stretches");
        await tom.SendAsync("anyone for breakfast?");
        await tabby.WaitForLineAsync("<tom> anyone for breakfast?");
        await server.WaitUntilHistoryStoredAsync(8);
        await dashboard.SearchHistoryAsync("tabby", pressEnter: true);

        // tabby's action and message, and the notice of the rename to tabby (nick-less, naming tabby in its text).
        await Expect(dashboard.HistoryRows).ToHaveCountAsync(3);
        var texts = await dashboard.HistoryTextsAsync();
        Assert.Equal(["stretches", "good morning"], texts.Take(2));
        Assert.EndsWith(" is now known as tabby", texts[2], StringComparison.Ordinal);
        Assert.Equal(["tabby", "tabby", ""], await NicksAsync(dashboard));
        await Expect(dashboard.HistoryRows.Nth(2)).ToHaveAttributeAsync("data-kind", "notice");

        await dashboard.SearchHistoryAsync("no cat said this", pressEnter: true);

        await Expect(dashboard.HistoryRows).ToHaveCountAsync(0);
        await Expect(dashboard.HistoryEmpty).ToHaveTextAsync("No lines match “no cat said this”.");
        await Expect(dashboard.LoadOlderButton).ToBeHiddenAsync();
        dashboard.AssertNothingWentWrong();
    }

    [Fact]
    public async Task LoadOlderAppendsTheNextPageOfHistoryAndDisappearsAtTheEndAtPhoneWidth()
    {
        const int Lines = 25;
        await using var server = await ChatServer.StartAsync("--flood-burst", "0");
        await using var dashboard = await OpenAsync(server, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
        });
        await dashboard.SetHistoryPageSizeAsync(10);
        await dashboard.SignInUntilLiveAsync();
        await using var tabby = await server.ConnectAsync("tabby");
        await using var tom = await server.ConnectAsync("tom");
        for (var line = 1; line <= Lines; line++)
        {
            await tabby.SendAsync($"meow #{line}");
        }

        await tom.WaitForLineAsync($"<tabby> meow #{Lines}");
        await server.WaitUntilHistoryStoredAsync(4 + Lines);
        await dashboard.SearchHistoryAsync("meow");

        await Expect(dashboard.HistoryRows).ToHaveCountAsync(10);
        await Expect(dashboard.HistoryRows.First.Locator(".history-text")).ToHaveTextAsync($"meow #{Lines}");
        await dashboard.LoadOlderButton.TapAsync();
        await Expect(dashboard.HistoryRows).ToHaveCountAsync(20);
        await Expect(dashboard.LoadOlderButton).ToBeVisibleAsync();
        await dashboard.LoadOlderButton.TapAsync();
        await Expect(dashboard.HistoryRows).ToHaveCountAsync(Lines);
        await Expect(dashboard.LoadOlderButton).ToBeHiddenAsync();

        var expected = Enumerable.Range(1, Lines).Reverse().Select(line => $"meow #{line}");
        Assert.Equal(expected, await dashboard.HistoryTextsAsync());
        Assert.True(await dashboard.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "The dashboard scrolls sideways.");
        await dashboard.HistoryRows.Last.ScrollIntoViewIfNeededAsync();
        await dashboard.ScreenshotAsync("history-phone", fullPage: false);
        dashboard.AssertNothingWentWrong();
    }

    [Fact]
    public async Task LoadOlderFollowsTheServersCursorThroughLinesThatShareOneTime()
    {
        const int Lines = 23;
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);
        await dashboard.SetHistoryPageSizeAsync(10);
        await dashboard.SignInUntilLiveAsync();

        // A burst stored at one instant: paging by time alone would skip or repeat lines at each page's edge.
        var instant = DateTimeOffset.UtcNow.AddMinutes(-1);
        var burst = Enumerable.Range(1, Lines).Select(line => new HistoryEntry(instant, HistoryKind.Message, "tabby", $"purr #{line}")).ToList();
        await server.Services.GetRequiredService<IChatStore>().AppendHistoryAsync(burst, CancellationToken.None);
        await dashboard.SearchHistoryAsync("purr");

        await Expect(dashboard.HistoryRows).ToHaveCountAsync(10);
        await dashboard.LoadOlderButton.ClickAsync();
        await Expect(dashboard.HistoryRows).ToHaveCountAsync(20);
        await dashboard.LoadOlderButton.ClickAsync();
        await Expect(dashboard.HistoryRows).ToHaveCountAsync(Lines);
        await Expect(dashboard.LoadOlderButton).ToBeHiddenAsync();

        Assert.Equal(Enumerable.Range(1, Lines).Reverse().Select(line => $"purr #{line}"), await dashboard.HistoryTextsAsync());
        dashboard.AssertNothingWentWrong();
    }

    private static async Task<IReadOnlyList<string>> NicksAsync(DashboardPage dashboard) =>
        await dashboard.HistoryRows.EvaluateAllAsync<string[]>("rows => rows.map(row => row.dataset.nick)");

    private Task<DashboardPage> OpenAsync(
        ChatServer server, BrowserNewContextOptions? options = null, [CallerMemberName] string testName = "") =>
        DashboardPage.OpenAsync(browser.Browser, server, testName, options);
}
