using Microsoft.Playwright;

namespace CatChat.BrowserTests;

/// <summary>
/// One headless Chromium for all browser tests: Debian's own build, so nothing is downloaded.
/// Each test gets a fresh browser context (its own cookies and storage) and its own server.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"No Chromium at {ChromiumPath}: install it with 'apt-get install -y chromium'.");
        }

        // Expectations poll until they hold; a loaded CI machine gets more time than the 5 s default.
        Assertions.SetDefaultExpectTimeout(10_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArguments,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>The tests that share <see cref="BrowserFixture"/>; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
