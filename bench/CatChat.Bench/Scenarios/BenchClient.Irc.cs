using System.Net.Sockets;
using System.Text;

namespace CatChat.Bench.Scenarios;

/// <summary>What an IRC client answers: its JOIN once the server welcomes it, and every PING.</summary>
internal sealed partial class BenchClient
{
    /// <summary>IRC: registered, so the client now sends what was to follow the welcome (its JOIN).</summary>
    public void OnWelcome()
    {
        if (!_welcomeReply.IsEmpty)
        {
            Reply(_welcomeReply);
        }
    }

    /// <summary>IRC: a server that is not answered drops the client, so every PING gets its PONG.</summary>
    public void OnPing(ReadOnlySpan<byte> token) => Reply(Encoding.ASCII.GetBytes($"PONG :{Encoding.ASCII.GetString(token)}\r\n"));

    // IRC's replies go out from the receive thread, so they must not wait: a few bytes, never more than the socket
    // takes at once. .NET queues a socket's sends, so a reply never splits a sender's message.
    private void Reply(ReadOnlyMemory<byte> bytes)
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            _ = ObserveAsync(_socket.SendAsync(bytes, SocketFlags.None));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            Failure ??= "reply failed: " + ex.Message;
        }

        async Task ObserveAsync(ValueTask<int> sending)
        {
            try
            {
                await sending;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                if (!_disposed)
                {
                    Failure ??= "reply failed: " + ex.Message;
                }
            }
        }
    }
}
