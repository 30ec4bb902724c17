using Microsoft.AspNetCore.Http.Features;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// Puts a <see cref="CorkableStream"/> under the WebSocket: ASP.NET Core's WebSocket handshake upgrades through this
/// feature, so the socket it makes writes into the cork while the handshake itself stays ASP.NET Core's.
/// </summary>
internal sealed class CorkableUpgrade(IHttpUpgradeFeature inner) : IHttpUpgradeFeature
{
    /// <summary>The stream the socket writes to, once the connection is upgraded.</summary>
    public CorkableStream? Stream { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        Stream = new CorkableStream(await inner.UpgradeAsync().ConfigureAwait(false));
        return Stream;
    }
}
