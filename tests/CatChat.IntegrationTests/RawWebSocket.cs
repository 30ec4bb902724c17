using System.Net;
using System.Net.Sockets;
using System.Text;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>
/// A WebSocket client on a bare TCP connection, to send and see control frames (a ClientWebSocket hides them).
/// Payloads are Latin-1 text here, so a close's status code can be written as two characters.
/// </summary>
internal sealed class RawWebSocket(TcpClient tcp) : IDisposable
{
    private readonly NetworkStream _stream = tcp.GetStream();
    private readonly List<byte> _received = [];

    /// <summary>A socket upgraded on <paramref name="server"/>'s HTTP port, nothing sent yet.</summary>
    /// <param name="sameWrite">Bytes sent right behind the upgrade request, in the same write.</param>
    /// <param name="path">The socket's path: the web chat's unless told (<c>/irc</c> for IRC over WebSocket).</param>
    /// <param name="subProtocol">A subprotocol to offer, if any.</param>
    public static async Task<RawWebSocket> OpenAsync(ChatServer server, byte[]? sameWrite = null, string path = "/ws", string? subProtocol = null)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.HttpPort);
        var socket = new RawWebSocket(tcp);
        await socket.UpgradeAsync($"127.0.0.1:{server.HttpPort}", sameWrite, path, subProtocol);
        return socket;
    }

    /// <summary>A socket that has said hello as <paramref name="nick"/>, once <paramref name="witness"/> has seen the join.</summary>
    public static async Task<RawWebSocket> JoinAsync(ChatServer server, string nick, TcpChatClient witness)
    {
        var socket = await OpenAsync(server);
        await socket.SendAsync(0x1, $$"""{"type":"hello","nick":"{{nick}}"}""");
        await witness.WaitForLineAsync($"*** {nick} has joined");
        return socket;
    }

    /// <summary>Bytes as they are, framed or not.</summary>
    public async Task WriteRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    public void Dispose() => tcp.Dispose();

    private async Task UpgradeAsync(string host, byte[]? sameWrite, string path, string? subProtocol)
    {
        var offer = subProtocol is null ? string.Empty : $"Sec-WebSocket-Protocol: {subProtocol}\r\n";
        byte[] request =
        [
            .. Encoding.ASCII.GetBytes(
                $"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n{offer}"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"),
            .. sameWrite ?? [],
        ];
        await _stream.WriteAsync(request);
        int end;
        while ((end = Encoding.Latin1.GetString([.. _received]).IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
        {
            await FillAsync();
        }

        Assert.StartsWith("HTTP/1.1 101", Encoding.Latin1.GetString([.. _received]), StringComparison.Ordinal);
        _received.RemoveRange(0, end + 4);
    }

    /// <summary>A final, masked frame (as a client's must be) of one opcode.</summary>
    public Task SendAsync(int opcode, string payload) =>
        SendFrameAsync((byte)(0x80 | opcode), opcode == 0x8 ? Encoding.Latin1.GetBytes(payload) : Encoding.UTF8.GetBytes(payload));

    /// <summary>A masked frame of under 126 bytes whose first byte (FIN and opcode) is <paramref name="first"/>.</summary>
    public async Task SendFrameAsync(byte first, byte[] bytes)
    {
        byte[] mask = [0x12, 0x34, 0x56, 0x78];
        var frame = new List<byte> { first, (byte)(0x80 | bytes.Length) };
        frame.AddRange(mask);
        frame.AddRange(bytes.Select((b, i) => (byte)(b ^ mask[i % 4])));
        await _stream.WriteAsync(frame.ToArray());
    }

    /// <summary>The next whole frame from the server (unmasked, its length under 64 KiB).</summary>
    public async Task<(int Opcode, string Payload)> ReceiveAsync()
    {
        while (_received.Count < 2 || _received.Count < (long)HeaderLength() + PayloadLength())
        {
            await FillAsync();
        }

        var opcode = _received[0] & 0x0F;
        var payload = _received.GetRange(HeaderLength(), PayloadLength()).ToArray();
        _received.RemoveRange(0, HeaderLength() + payload.Length);
        return (opcode, opcode == 0x8 ? Encoding.Latin1.GetString(payload) : Encoding.UTF8.GetString(payload));
    }

    /// <summary>Every frame the server sends until it closes the connection.</summary>
    public async Task<List<(int Opcode, string Payload)>> ReceiveUntilEndAsync()
    {
        var frames = new List<(int Opcode, string Payload)>();
        while (true)
        {
            while (_received.Count >= 2 && _received.Count >= (long)HeaderLength() + PayloadLength())
            {
                frames.Add(await ReceiveAsync());
            }

            using var patience = new CancellationTokenSource(LineCollector.Patience);
            var buffer = new byte[4096];
            int read;
            try
            {
                read = await _stream.ReadAsync(buffer, patience.Token);
            }
            catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
            {
                read = 0; // Torn down with bytes of ours unread: what came before the reset was read first.
            }

            if (read == 0)
            {
                return frames;
            }

            _received.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    private int HeaderLength() => (_received[1] & 0x7F) == 126 ? 4 : 2;

    private int PayloadLength() => (_received[1] & 0x7F) < 126 ? _received[1] & 0x7F
        : _received.Count < 4 ? int.MaxValue : (_received[2] << 8) | _received[3];

    private async Task FillAsync()
    {
        using var patience = new CancellationTokenSource(LineCollector.Patience);
        var buffer = new byte[4096];
        var read = await _stream.ReadAsync(buffer, patience.Token);
        Assert.True(read > 0, "The server closed the connection; unread: " + Encoding.Latin1.GetString([.. _received]));
        _received.AddRange(buffer.AsSpan(0, read).ToArray());
    }
}
