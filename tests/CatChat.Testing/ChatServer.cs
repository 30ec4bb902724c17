using CatChat.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.Testing;

/// <summary>
/// The real CatChat host, started in-process on free loopback ports with a throwaway data directory.
/// Settings are passed as command-line switches, the way an operator would.
/// </summary>
public sealed class ChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly bool _ownsDataDirectory;

    private ChatServer(WebApplication app, string dataDirectory, bool ownsDataDirectory)
    {
        _app = app;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        var endpoints = app.Services.GetRequiredService<ChatEndpoints>();
        ChatPort = endpoints.ChatPort;
        TlsPort = endpoints.TlsPort;
        HttpPort = endpoints.HttpPort;
    }

    public int ChatPort { get; }

    public int TlsPort { get; }

    public int HttpPort { get; }

    public string DataDirectory { get; }

    public IServiceProvider Services => _app.Services;

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
            "--bind", "127.0.0.1", "--chat-port", "0", "--http-port", "0", "--data-dir", dataDirectory,
            "--join-announce-delay", "0", .. settings,
        ];
        var app = await CatChatApp.CreateAsync(args);
        await app.StartAsync();
        return new ChatServer(app, dataDirectory, owns);
    }

    public Task<TcpChatClient> ConnectAsync(string? nick = null) => TcpChatClient.ConnectAsync(ChatPort, nick);

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
