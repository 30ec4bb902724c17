using System.Globalization;
using System.Net;

namespace CatChat.Bench.Targets;

/// <summary>
/// A <c>--target</c> value: <c>catchat</c> or <c>redis</c> (started by this tool), or <c>catchat@host:port</c>,
/// <c>redis@host:port</c> (already running; <c>--server-pid</c> gives its process for CPU and memory figures), or
/// <c>catchat*K</c>: K CatChat nodes joined by a Redis backplane, all started by this tool, clients spread over them.
/// <c>catchat:epoll</c> or <c>catchat:io_uring</c> starts CatChat on that chat transport, to compare the two in one run.
/// </summary>
internal sealed record TargetSpec(string Kind, IPEndPoint? External, int Nodes = 1, string? Transport = null)
{
    public static TargetSpec Parse(string text)
    {
        if (text.StartsWith("catchat:", StringComparison.OrdinalIgnoreCase) && text.IndexOf('@', StringComparison.Ordinal) < 0)
        {
            var transport = text["catchat:".Length..].ToLowerInvariant();
            return transport is "epoll" or "io_uring" or "auto"
                ? new TargetSpec("catchat", null, Transport: transport)
                : throw new ArgumentException($"target \"{text}\": the transport is epoll, io_uring or auto");
        }

        if (text.StartsWith("catchat*", StringComparison.OrdinalIgnoreCase))
        {
            return int.TryParse(text["catchat*".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var nodes) && nodes >= 1
                ? new TargetSpec("cluster", null, nodes)
                : throw new ArgumentException($"target \"{text}\" needs a node count, e.g. catchat*2");
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        var kind = (at < 0 ? text : text[..at]).ToLowerInvariant();
        if (kind is not ("catchat" or "redis"))
        {
            throw new ArgumentException($"unknown target \"{text}\": catchat, redis, catchat@host:port or redis@host:port");
        }

        if (at < 0)
        {
            return new TargetSpec(kind, null);
        }

        var address = text[(at + 1)..];
        var colon = address.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new ArgumentException($"target \"{text}\" needs host:port");
        }

        var host = address[..colon];
        var ip = IPAddress.TryParse(host, out var parsed) ? parsed : Dns.GetHostAddresses(host).First();
        return new TargetSpec(kind, new IPEndPoint(ip, port));
    }

    public BenchTarget Create(TargetOptions options, int? externalPid) => Kind switch
    {
        "redis" => new RedisTarget(options, External, External is null ? null : externalPid),
        "cluster" => new CatChatClusterTarget(options, Nodes),
        _ => new CatChatTarget(options, External, External is null ? null : externalPid, Transport),
    };

    public override string ToString() =>
        Kind == "cluster" ? $"catchat*{Nodes}" : External is not null ? $"{Kind}@{External}" : Transport is null ? Kind : $"{Kind}:{Transport}";
}
