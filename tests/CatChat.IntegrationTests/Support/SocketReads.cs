using System.Net.Sockets;
using System.Text;

namespace CatChat.IntegrationTests.Support;

/// <summary>Reads exactly so many bytes from a client socket, failing on an early end or after 10 seconds.</summary>
internal static class SocketReads
{
    public static async Task<byte[]> ReceiveAsync(Socket client, int length)
    {
        var received = new byte[length];
        var total = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (total < length)
        {
            var count = await client.ReceiveAsync(received.AsMemory(total), timeout.Token);
            Assert.NotEqual(0, count);
            total += count;
        }

        return received;
    }

    public static async Task<string> ReceiveTextAsync(Socket client, int length) => Encoding.UTF8.GetString(await ReceiveAsync(client, length));
}
