using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;

namespace CatChat.Testing;

/// <summary>A chat client over a real TCP socket, like <c>nc 127.0.0.1 PORT</c>.</summary>
public sealed class TcpChatClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly LineCollector? _lines;

    private TcpChatClient(Socket socket, Stream stream, bool reads)
    {
        _socket = socket;
        _stream = stream;
        _lines = reads ? new LineCollector(PipeReader.Create(stream)) : null;
    }

    public string Nick { get; private set; } = string.Empty;

    public System.Net.EndPoint LocalEndPoint => _socket.LocalEndPoint!;

    public IReadOnlyList<string> Seen => Lines.Seen;

    /// <summary>Ends when the server closes the connection.</summary>
    public Task Closed => Lines.Completion;

    private LineCollector Lines => _lines ?? throw new InvalidOperationException("This client does not read.");

    /// <summary>Connects and waits for the welcome notice; with a nick, also takes that nickname.</summary>
    public static async Task<TcpChatClient> ConnectAsync(int port, string? nick = null)
    {
        var client = Open(port);
        await client.WaitForWelcomeAsync();
        if (nick is not null)
        {
            await client.SendAsync("/nick " + nick);
            await client.WaitForLineAsync($"*** {client.Nick} is now known as {nick}");
            client.Nick = nick;
        }

        return client;
    }

    /// <summary>Connects without waiting for anything; <paramref name="reads"/> false makes a peer that never reads.</summary>
    public static TcpChatClient Open(int port, bool reads = true, Func<Stream, Stream>? wrap = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (!reads)
        {
            // A tiny receive window, so the server's output backs up quickly.
            socket.ReceiveBufferSize = 4096;
        }

        socket.Connect("127.0.0.1", port);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        return new TcpChatClient(socket, wrap?.Invoke(stream) ?? stream, reads);
    }

    public static TcpChatClient Over(Socket socket, Stream stream) => new(socket, stream, reads: true);

    public async Task WaitForWelcomeAsync()
    {
        var welcome = await WaitForLineAsync(line => line.StartsWith("*** You are ", StringComparison.Ordinal), "the welcome notice");
        Nick = welcome.Split(' ')[3].TrimEnd('.');
    }

    public Task SendAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends <paramref name="bytes"/> in pieces of <paramref name="chunkSize"/>, each its own TCP segment.</summary>
    public async Task SendInChunksAsync(byte[] bytes, int chunkSize)
    {
        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            await SendRawAsync(bytes[offset..Math.Min(bytes.Length, offset + chunkSize)]);
        }
    }

    public Task<string> WaitForLineAsync(string exact) => Lines.WaitForLineAsync(exact);

    public Task<string> WaitForLineAsync(Func<string, bool> match, string? what = null) => Lines.WaitForLineAsync(match, what);

    public Task<string> WaitForSeenAsync(string exact) => Lines.WaitForSeenAsync(exact);

    public Task<string> WaitForSeenAsync(Func<string, bool> match, string what) => Lines.WaitForSeenAsync(match, what);

    /// <summary>Waits for the history replayed at login ("*** Last N lines of the chat:" and its N lines) and returns those lines.</summary>
    public async Task<IReadOnlyList<string>> WaitForReplayAsync()
    {
        var header = await WaitForLineAsync(line => line.StartsWith("*** Last ", StringComparison.Ordinal), "the history header");
        var count = header.StartsWith("*** Last line", StringComparison.Ordinal)
            ? 1
            : int.Parse(header.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        var replayed = new List<string>(count);
        while (replayed.Count < count)
        {
            replayed.Add(await WaitForLineAsync(_ => true, "a replayed history line"));
        }

        return replayed;
    }

    public Task<IReadOnlyList<string>> LinesBeforeAsync(string marker) => Lines.LinesBeforeAsync(marker);

    /// <summary>Waits until the server closes the connection.</summary>
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

    /// <summary>Closes abruptly (RST), like a peer that vanished.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
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
