using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;

namespace CatChat.Testing;

/// <summary>An IRC client over a real TCP socket, as irssi or WeeChat would be: it registers, then sends raw lines.</summary>
public sealed class IrcTestClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly LineCollector _lines;

    private IrcTestClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _lines = new LineCollector(PipeReader.Create(_stream));
    }

    public string Nick { get; private set; } = string.Empty;

    public IReadOnlyList<string> Seen => _lines.Seen;

    public Task Closed => _lines.Completion;

    /// <summary>Connects without registering.</summary>
    public static IrcTestClient Open(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect("127.0.0.1", port);
        return new IrcTestClient(socket);
    }

    /// <summary>Connects, negotiates <paramref name="capabilities"/>, registers and waits for the end of the MOTD.</summary>
    public static Task<IrcTestClient> ConnectAsync(int port, string nick, params string[] capabilities) => RegisterAsync(Open(port), nick, capabilities);

    /// <summary>Connects to a chat with a password (--chat-password): PASS, then as <see cref="ConnectAsync"/>.</summary>
    public static async Task<IrcTestClient> ConnectWithPasswordAsync(int port, string nick, string password)
    {
        var client = Open(port);
        await client.SendAsync("PASS :" + password);
        return await RegisterAsync(client, nick, []);
    }

    private static async Task<IrcTestClient> RegisterAsync(IrcTestClient client, string nick, string[] capabilities)
    {
        if (capabilities.Length > 0)
        {
            await client.SendAsync("CAP LS 302");
            await client.SendAsync("CAP REQ :" + string.Join(' ', capabilities));
            await client.WaitForLineAsync(line => line.Contains(" CAP ", StringComparison.Ordinal) && line.Contains(" ACK ", StringComparison.Ordinal), "CAP ACK");
        }

        await client.SendAsync("NICK " + nick);
        await client.SendAsync($"USER {nick} 0 * :{nick} the tester");
        if (capabilities.Length > 0)
        {
            await client.SendAsync("CAP END");
        }

        await client.WaitForLineAsync(line => Numeric(line) is "376" or "422", "the end of the MOTD");
        client.Nick = nick;
        return client;
    }

    /// <summary>The numeric or command of a server line (after its tags and source).</summary>
    public static string Numeric(string line)
    {
        var words = line.Split(' ');
        var at = 0;
        if (words[at].StartsWith('@'))
        {
            at++;
        }

        if (at < words.Length && words[at].StartsWith(':'))
        {
            at++;
        }

        return at < words.Length ? words[at] : string.Empty;
    }

    /// <summary>A server line without its tags.</summary>
    /// <summary>The value of tag <paramref name="name"/> on an IRC line (empty for a tag without one), or null.</summary>
    public static string? Tag(string line, string name)
    {
        if (!line.StartsWith('@'))
        {
            return null;
        }

        foreach (var tag in line[1..line.IndexOf(' ', StringComparison.Ordinal)].Split(';'))
        {
            if (tag == name || tag.StartsWith(name + "=", StringComparison.Ordinal))
            {
                return tag.Length == name.Length ? string.Empty : tag[(name.Length + 1)..];
            }
        }

        return null;
    }

    public static string WithoutTags(string line) => line.StartsWith('@') ? line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..] : line;

    public Task SendAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Joins a room and waits for the end of its names.</summary>
    public async Task JoinAsync(string room)
    {
        await SendAsync("JOIN " + room);
        await WaitForLineAsync(line => Numeric(line) == "366" && line.Contains(' ' + room + ' ', StringComparison.OrdinalIgnoreCase), "the names of " + room);
    }

    public Task<string> WaitForLineAsync(string exact) => _lines.WaitForLineAsync(line => WithoutTags(line) == exact, exact);

    public Task<string> WaitForLineAsync(Func<string, bool> match, string? what = null) => _lines.WaitForLineAsync(match, what);

    /// <summary>Waits for a line whose numeric or command is <paramref name="numeric"/>.</summary>
    public Task<string> WaitForNumericAsync(string numeric) => _lines.WaitForLineAsync(line => Numeric(line) == numeric, "numeric " + numeric);

    public async Task WaitUntilClosedAsync()
    {
        try
        {
            await Closed.WaitAsync(LineCollector.Patience);
        }
        catch (TimeoutException)
        {
            Assert.Fail("The server did not close the connection; saw:\n" + string.Join("\n", Seen));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        await _stream.DisposeAsync();
    }
}
