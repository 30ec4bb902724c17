using CatChat.Chat;
using CatChat.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CatChat.Testing;

/// <summary>
/// The real CatChat host, started in-process on free loopback ports with a throwaway data directory.
/// Settings are passed as command-line switches, the way an operator would.
/// </summary>
public sealed class ChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly bool _ownsDataDirectory;

    private ChatServer(WebApplication app, LogCollector log, string dataDirectory, bool ownsDataDirectory)
    {
        _app = app;
        Log = log;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        var endpoints = app.Services.GetRequiredService<ChatEndpoints>();
        ChatPort = endpoints.ChatPort;
        TlsPort = endpoints.TlsPort;
        IrcPort = endpoints.IrcPort;
        HttpPort = endpoints.HttpPort;
    }

    public int ChatPort { get; }

    public int TlsPort { get; }

    /// <summary>The IRC port; 0 unless the test turned it on (<see cref="StartWithIrcAsync"/>).</summary>
    public int IrcPort { get; }

    public int HttpPort { get; }

    public string DataDirectory { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>What the server has logged since it started: wait here for the entry that says a thing happened.</summary>
    public LogCollector Log { get; }

    public Uri HttpBase => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>The admin token the server generated in its data directory.</summary>
    public string AdminToken => File.ReadAllText(Path.Combine(DataDirectory, "admin-token")).Trim();

    /// <summary>Starts a server; later switches override earlier ones, so tests can change any default.</summary>
    public static async Task<ChatServer> StartAsync(params string[] settings)
    {
        // A test that passes --data-dir keeps its directory (to restart on it); otherwise a throwaway one.
        var given = Array.IndexOf(settings, "--data-dir");
        var owns = given < 0;
        var dataDirectory = owns ? Directory.CreateTempSubdirectory("catchat-test-").FullName : settings[given + 1];
        string[] args =
        [
            "--bind", "127.0.0.1", "--chat-port", "0", "--irc-port", "0", "--http-port", "0", "--data-dir", dataDirectory,
            "--join-announce-delay", "0", .. settings,
        ];
        var app = await CatChatApp.CreateAsync(args);

        // Beside the console, before the start: the host's filters apply to it as to the console.
        var log = new LogCollector();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        await app.StartAsync();
        return new ChatServer(app, log, dataDirectory, owns);
    }

    public Task<TcpChatClient> ConnectAsync(string? nick = null) => TcpChatClient.ConnectAsync(ChatPort, nick);

    /// <summary>Starts a server with its IRC port on (a free one).</summary>
    public static Task<ChatServer> StartWithIrcAsync(params string[] settings) =>
        StartAsync(["--irc-port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), .. settings]);

    /// <summary>An IRC client registered as <paramref name="nick"/>, with the capabilities it asks for.</summary>
    public Task<IrcTestClient> ConnectIrcAsync(string nick, params string[] capabilities) => IrcTestClient.ConnectAsync(IrcPort, nick, capabilities);

    /// <summary>
    /// Waits until the history writer has stored at least <paramref name="lines"/> lines since the start. It announces
    /// no batch (it logs only failures and recoveries), so this looks at its counter.
    /// </summary>
    public Task WaitUntilHistoryStoredAsync(long lines)
    {
        var metrics = Services.GetRequiredService<ChatMetrics>();
        return Eventually.TrueAsync(() => metrics.HistoryLinesWritten >= lines, $"{lines} history lines stored");
    }

    public HttpClient CreateHttpClient(bool admin = false)
    {
        var client = new HttpClient { BaseAddress = HttpBase, Timeout = TimeSpan.FromSeconds(30) };
        if (admin)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (!_ownsDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
