using Microsoft.Playwright;

namespace CatChat.BrowserTests;

/// <summary>
/// One of the server's pages open in a fresh browser context, as every browser test uses it: it records what should
/// never happen (script errors, Content-Security-Policy violations, alert/confirm dialogs), and saves a screenshot of
/// the final state when the test ends, pass or fail.
/// </summary>
internal abstract class BrowserPage : IAsyncDisposable
{
    public static readonly string ScreenshotFolder = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private readonly IBrowserContext _context;
    private readonly string _name;
    private readonly bool _fullPageScreenshots;
    private readonly List<string> _problems = [];

    /// <param name="name">Names the screenshots: the test, and whose page it is.</param>
    /// <param name="fullPageScreenshots">Whether a screenshot takes the whole page or what the window shows.</param>
    protected BrowserPage(IBrowserContext context, IPage page, string name, bool fullPageScreenshots)
    {
        _context = context;
        Page = page;
        _name = name;
        _fullPageScreenshots = fullPageScreenshots;
        page.PageError += (_, error) => Record("script error: " + error);
        page.Console += (_, message) =>
        {
            // Chromium logs every non-2xx answer (the 401 of a wrong token, say); those are expected.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)
                && !IsExpectedConsoleError(message.Text))
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

    public async Task<string> ScreenshotAsync(string step, bool? fullPage = null)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, $"{_name}-{step}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage ?? _fullPageScreenshots });
        return path;
    }

    /// <summary>Fails the test if the page raised a script error, broke its policy or opened a dialog.</summary>
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

    /// <summary>A console error this page logs by design (a refused socket while the server restarts, say).</summary>
    protected virtual bool IsExpectedConsoleError(string text) => false;

    private void Record(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }
}
