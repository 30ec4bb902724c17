using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// Puts a <see cref="SerialWriteStream"/> under the WebSocket: ASP.NET Core's WebSocket handshake upgrades through this
/// feature, so the socket it makes shares the stream with the chat's own frames while the handshake stays ASP.NET Core's.
/// </summary>
/// <param name="direct">The connection's own output, written straight once the upgrade's response is in it.</param>
internal sealed class SerialWriteUpgrade(IHttpUpgradeFeature inner, PipeWriter? direct) : IHttpUpgradeFeature
{
    /// <summary>The stream the socket writes to, once the connection is upgraded.</summary>
    public SerialWriteStream? Stream { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        // Kestrel has flushed the 101 response into the socket's output by the time this returns.
        Stream = new SerialWriteStream(await inner.UpgradeAsync().ConfigureAwait(false), direct);
        return Stream;
    }
}
