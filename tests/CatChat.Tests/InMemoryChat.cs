using System.IO.Pipelines;
using CatChat.Chat;
using CatChat.FrontDoors.Netcat;
using CatChat.Hosting;
using CatChat.Protocol;
using CatChat.Sessions;
using CatChat.Testing;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;

namespace CatChat.Tests;

/// <summary>
/// The chat with no sockets: the real connection handler (the Factory) drives connections made of
/// in-memory pipes, and time comes from a fake clock (<see cref="WatchedClock"/>) that starts at a random date.
/// </summary>
internal sealed class InMemoryChat : IAsyncDisposable
{
    private readonly List<InMemoryClient> _clients = [];

    public InMemoryChat(Action<CatChatSettings>? configure = null)
    {
        Options = new CatChatSettings();
        Options.Sessions.JoinAnnounceDelay = TimeSpan.Zero;
        configure?.Invoke(Options);
        Time = new WatchedClock(new DateTimeOffset(2000 + Random.Shared.Next(50), 1 + Random.Shared.Next(12), 1 + Random.Shared.Next(28), 0, 0, 0, TimeSpan.Zero));
        Room = new ChatRoom(new NicknamePolicy(Options.Chat.NickMaxLength, Options.Chat.ReservedNicks), BannerText.Parse(Options.Chat.Banner));
        Handler = new NetcatConnectionHandler(new FrontDoorServices(Room, new FixedOptions<ChatOptions>(Options.Chat), new FixedOptions<SessionLimits>(Options.Sessions), Time), NullLogger<NetcatSession>.Instance);
    }

    public CatChatSettings Options { get; }

    public WatchedClock Time { get; }

    public ChatRoom Room { get; }

    public NetcatConnectionHandler Handler { get; }

    /// <summary>
    /// Moves the fake clock forward in steps of <paramref name="step"/> until a timer fires, and returns how far it
    /// moved. First it waits for the code under test to wait on the clock (it may start its timer a moment after the
    /// test gets here; moving the clock before would run ahead of it), and returns at once, the clock unmoved, if
    /// <paramref name="stop"/> holds by then. What the woken code does next, the test waits for.
    /// </summary>
    public async Task<TimeSpan> AdvanceToNextTimerAsync(TimeSpan step, Func<bool>? stop = null)
    {
        try
        {
            await Time.WaitedOn.WaitAsync(LineCollector.Patience);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Nothing waited on the clock for {LineCollector.Patience}.");
        }

        var advanced = TimeSpan.Zero;
        if (stop?.Invoke() == true)
        {
            return advanced;
        }

        var fired = Time.Fired;
        for (var steps = 0; Time.Fired == fired; steps++)
        {
            Assert.True(steps < 500, $"No timer fired in {advanced} of clock time.");
            Time.Advance(step);
            advanced += step;
        }

        return advanced;
    }

    /// <summary>Connects a client and reads its greeting up to the welcome notice.</summary>
    public async Task<InMemoryClient> ConnectAsync(string? nick = null, PipeOptions? serverOutput = null)
    {
        var client = Open(serverOutput);
        var welcome = await client.WaitForLineAsync(line => line.StartsWith("*** You are ", StringComparison.Ordinal));
        client.Nick = welcome.Split(' ')[3].TrimEnd('.');
        if (nick is not null)
        {
            await client.SendAsync("/nick " + nick);
            await client.WaitForLineAsync($"*** {client.Nick} is now known as {nick}");
            client.Nick = nick;
        }

        return client;
    }

    /// <summary>Connects a client without waiting for anything.</summary>
    public InMemoryClient Open(PipeOptions? serverOutput = null, bool reads = true)
    {
        var fromClient = new Pipe();
        var toClient = new Pipe(serverOutput ?? PipeOptions.Default);
        var connection = new DefaultConnectionContext(
            "test-" + _clients.Count,
            new DuplexPipe(fromClient.Reader, toClient.Writer),
            new DuplexPipe(toClient.Reader, fromClient.Writer));
        var client = new InMemoryClient(connection, toClient.Reader, fromClient.Writer, reads);
        client.Session = Task.Run(() => Handler.OnConnectedAsync(connection));
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
