using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatChat.BrowserTests;

/// <summary>
/// The web chat page (<c>/chat/</c>) of one server, open in a fresh browser context: names the page's parts, records
/// what should never happen (script errors, policy violations, dialogs), and saves a screenshot when the test ends.
/// </summary>
internal sealed class WebChatPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly string _name;
    private readonly List<string> _problems = [];

    private WebChatPage(IBrowserContext context, IPage page, string name)
    {
        _context = context;
        Page = page;
        _name = name;
        page.PageError += (_, error) => Record("script error: " + error);
        page.Console += (_, message) =>
        {
            // A socket refused while the server restarts is logged by Chromium; that is expected.
            if (message.Type == "error" && !message.Text.Contains("WebSocket", StringComparison.Ordinal)
                && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                Record("console error: " + message.Text);
            }
        };
        page.Dialog += (_, dialog) =>
        {
            Record($"a {dialog.Type} dialog opened: {dialog.Message}");
            _ = dialog.DismissAsync();
        };
    }

    public IPage Page { get; }

    public ILocator Status => Page.Locator("#status");

    public ILocator Banner => Page.Locator("#banner");

    public ILocator NickField => Page.GetByLabel("Pick a nickname");

    public ILocator HelloError => Page.Locator("#hello-error");

    public ILocator MessageField => Page.GetByLabel("Message");

    /// <summary>The lines of the room on view, oldest first; each has data-kind.</summary>
    public ILocator Lines => Page.Locator("#log li");

    public ILocator Members => Page.Locator("#members li");

    public ILocator RoomField => Page.GetByLabel("Room to join");

    public ILocator Me => Page.Locator("#me");

    /// <summary>The room's topic, or what a private conversation's tab is.</summary>
    public ILocator Topic => Page.Locator("#topic");

    /// <summary>Asks for the room's earlier lines, a page at a time.</summary>
    public ILocator EarlierButton => Page.Locator("#earlier-button");

    /// <summary>Leaves the room on view, or closes the conversation on view.</summary>
    public ILocator PartButton => Page.Locator("#part-button");

    public static async Task<WebChatPage> OpenAsync(IBrowser browser, Uri httpBase, string name, int width = 1280, int height = 900)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        var chat = new WebChatPage(context, page, name);
        await page.GotoAsync(new Uri(httpBase, "chat/").ToString());
        await Expect(chat.Status).ToHaveTextAsync("Connected");
        return chat;
    }

    /// <summary>Picks a nickname and waits until the chat shows it.</summary>
    public async Task JoinAsync(string nick)
    {
        await NickField.FillAsync(nick);
        await NickField.PressAsync("Enter");
        await Expect(Me).ToHaveTextAsync(nick);
        await Expect(MessageField).ToBeVisibleAsync();
    }

    public async Task SendAsync(string text)
    {
        await MessageField.FillAsync(text);
        await MessageField.PressAsync("Enter");
        await Expect(MessageField).ToHaveValueAsync(string.Empty);
    }

    /// <summary>The tab of a room the user is in, or of a private conversation (named after the other user).</summary>
    public ILocator RoomTab(string room) => Page.Locator($"#room-tabs button[data-room='{room}']");

    public async Task JoinRoomAsync(string room)
    {
        await RoomField.FillAsync(room);
        await RoomField.PressAsync("Enter");
        await Expect(RoomTab(room)).ToHaveAttributeAsync("aria-current", "true");
    }

    /// <summary>The texts of the lines on view, oldest first.</summary>
    public Task<IReadOnlyList<string>> LineTextsAsync() => Lines.Locator(".text").AllTextContentsAsync();

    public async Task<string> ScreenshotAsync(string step)
    {
        Directory.CreateDirectory(DashboardPage.ScreenshotFolder);
        var path = Path.Combine(DashboardPage.ScreenshotFolder, $"{_name}-{step}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        return path;
    }

    public void AssertNothingWentWrong()
    {
        lock (_problems)
        {
            Assert.True(_problems.Count == 0, "The browser reported:\n" + string.Join("\n", _problems));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ScreenshotAsync("last");
        }
        catch (PlaywrightException)
        {
            // The page is gone; the test's own failure says why.
        }

        await _context.CloseAsync();
    }

    private void Record(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }
}
