using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatChat.BrowserTests;

/// <summary>The web chat page (<c>/chat/</c>) of one server (<see cref="BrowserPage"/>): names the page's parts.</summary>
internal sealed class WebChatPage : BrowserPage
{
    private WebChatPage(IBrowserContext context, IPage page, string name)
        : base(context, page, name, fullPageScreenshots: false)
    {
    }

    public ILocator Status => Page.Locator("#status");

    public ILocator Banner => Page.Locator("#banner");

    public ILocator NickField => Page.GetByLabel("Pick a nickname");

    public ILocator HelloError => Page.Locator("#hello-error");

    public ILocator HelloButton => Page.Locator("#hello-button");

    /// <summary>Shown only when the server's banner says the chat needs a password.</summary>
    public ILocator PasswordField => Page.GetByLabel("This chat's password");

    public ILocator MessageField => Page.GetByLabel("Message", new() { Exact = true });

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

    // A socket refused while the server restarts is logged by Chromium; that is expected.
    protected override bool IsExpectedConsoleError(string text) => text.Contains("WebSocket", StringComparison.Ordinal);
}
