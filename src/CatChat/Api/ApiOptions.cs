using System.Net;
using System.Net.Sockets;

namespace CatChat.Api;

/// <summary>The HTTP side: where it listens, whose forwarded headers it believes, where it keeps its keys. Read at start.</summary>
public sealed class ApiOptions
{
    public int HttpPort { get; set; } = 8080;

    public string HttpBind { get; set; } = "127.0.0.1";

    /// <summary>Directory for the admin token file and the session keys.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>
    /// Reverse proxies (addresses, or networks in CIDR form) whose X-Forwarded-For and X-Forwarded-Proto are
    /// believed; from anyone else those headers are ignored. Empty: none.
    /// </summary>
    public IReadOnlyList<string> TrustedProxies { get; set; } = [];

    /// <summary><see cref="TrustedProxies"/> as networks; a single address is a network of one.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxyNetworks =>
        TrustedProxies.Select(entry => TryParseNetwork(entry, out var network) ? network : throw new FormatException(entry + " is not an IP network")).ToArray();

    /// <summary>Reads an address (<c>10.0.0.1</c>) or a network in CIDR form (<c>10.0.0.0/8</c>).</summary>
    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(slash < 0 ? text : text.AsSpan(0, slash), out var address))
        {
            return false;
        }

        if (slash < 0)
        {
            network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        // Strict: "10.0.0.1/8" is refused rather than read as 10.0.0.0/8, since it is more likely a typo than meant.
        return IPNetwork.TryParse(text, out network) && address.Equals(network.BaseAddress);
    }
}
