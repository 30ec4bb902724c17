using System.Net;

namespace CatChat.Sessions;

/// <summary>A peer's address as people read it: IPv4-mapped IPv6 addresses shown as plain IPv4.</summary>
internal static class PeerAddress
{
    public static IPAddress? Of(EndPoint? endPoint) => endPoint is IPEndPoint ip ? Plain(ip.Address) : null;

    public static IPAddress Plain(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public static string Describe(EndPoint? endPoint) => endPoint is IPEndPoint ip
        ? new IPEndPoint(Of(ip)!, ip.Port).ToString()
        : endPoint?.ToString() ?? "unknown";
}
