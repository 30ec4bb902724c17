using System.Net.Sockets;
using System.Text;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>
/// The welcome (001 to the end of the MOTD) leaves in one send: a client that reads once after 001 and takes its next
/// read for the reply to its next command (irctest's do) must not find the rest of the welcome there.
/// </summary>
public sealed class IrcWelcomeBurstTests
{
    // Enough at once that the server's lanes are busy while welcomes are queued: without the hold, one run in two
    // here saw a welcome split (001 in one read, the rest in the next).
    private const int Clients = 200;

    [Fact]
    public async Task TheReadThatBrings001BringsTheEndOfTheMotdToo()
    {
        await using var server = await ChatServer.StartWithIrcAsync();

        var welcomes = await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => RegisterAsync(server.IrcPort, "burst" + i)));

        foreach (var welcome in welcomes)
        {
            Assert.Contains(" 001 ", welcome, StringComparison.Ordinal);
            Assert.Contains(" 376 ", welcome, StringComparison.Ordinal);
        }
    }

    // What the client holds once a read brings 001: everything read up to and including that read.
    private static async Task<string> RegisterAsync(int port, string nick)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"NICK {nick}\r\nUSER {nick} 0 * :{nick}\r\n"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new StringBuilder();
        var buffer = new byte[64 * 1024];
        while (!seen.ToString().Contains(" 001 ", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.NotEqual(0, read);
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return seen.ToString();
    }
}
