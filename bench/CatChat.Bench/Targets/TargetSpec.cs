using System.Globalization;
using System.Net;

namespace CatChat.Bench.Targets;

/// <summary>
/// A <c>--target</c> value: <c>catchat</c> or <c>redis</c> (started by this tool), or <c>catchat@host:port</c>,
/// <c>redis@host:port</c> (already running; <c>--server-pid</c> gives its process for CPU and memory figures), or
/// <c>catchat*K</c>: K CatChat nodes joined by a Redis backplane, all started by this tool, clients spread over them.
/// <c>catchat:epoll</c> or <c>catchat:io_uring</c> starts CatChat on that chat transport, to compare the two in one run.
/// <c>catchat-web</c> starts CatChat as <c>catchat</c> does and connects its clients to the web chat's WebSocket instead
/// (<c>catchat-web@host:port</c>: a running server's HTTP side).
/// <c>catchat=LABEL:PATH</c> (or <c>catchat:epoll=LABEL:PATH</c>) starts another build of CatChat instead of this
/// checkout's: PATH is its <c>CatChat.dll</c> (run with dotnet) or a published executable, and the results name it
/// <c>catchat=LABEL</c>, so an older commit built in its own worktree and this tree compare in one interleaved run.
/// The IRC servers: <c>catchat-irc</c> (CatChat's IRC port; <c>catchat-irc=LABEL:PATH</c> for another build),
/// <c>inspircd</c>, <c>ngircd</c>, each also as <c>KIND@host:port</c>, and <c>irc-floor</c>, <c>irc-floor-uring</c>
/// (bench/irc-servers/floor.c: the least any server can do for the workload, references for the kernel's share).
/// </summary>
internal sealed record TargetSpec(string Kind, IPEndPoint? External, int Nodes = 1, string? Transport = null, string? Label = null, string? Program = null)
{
    public static TargetSpec Parse(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals >= 0)
        {
            return ParseBuild(text, text[..equals], text[(equals + 1)..]);
        }

        if (text.StartsWith("catchat:", StringComparison.OrdinalIgnoreCase) && text.IndexOf('@', StringComparison.Ordinal) < 0)
        {
            return new TargetSpec("catchat", null, Transport: ParseTransport(text, text["catchat:".Length..]));
        }

        if (text.StartsWith("catchat*", StringComparison.OrdinalIgnoreCase))
        {
            return int.TryParse(text["catchat*".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var nodes) && nodes >= 1
                ? new TargetSpec("cluster", null, nodes)
                : throw new ArgumentException($"target \"{text}\" needs a node count, e.g. catchat*2");
        }

        if (text.Equals("catchat-web", StringComparison.OrdinalIgnoreCase))
        {
            return new TargetSpec("catchat-web", null);
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        var kind = (at < 0 ? text : text[..at]).ToLowerInvariant();
        if (kind is not ("catchat" or "redis" or "catchat-irc" or "inspircd" or "ngircd" or "irc-floor" or "irc-floor-uring" or "catchat-web"))
        {
            throw new ArgumentException($"unknown target \"{text}\": catchat, redis, catchat-irc, inspircd, ngircd, irc-floor, irc-floor-uring, catchat-web, KIND@host:port or catchat=LABEL:PATH");
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

    /// <summary>True for an IRC server, whose clients run the irc and irc-idle scenarios (and only those).</summary>
    public bool IsIrc => Kind is "catchat-irc" or "inspircd" or "ngircd" or "irc-floor" or "irc-floor-uring";

    public BenchTarget Create(TargetOptions options, int? externalPid) => Kind switch
    {
        "redis" => new RedisTarget(options, External, External is null ? null : externalPid),
        "cluster" => new CatChatClusterTarget(options, Nodes),
        "catchat-irc" => new CatChatIrcTarget(options, External, External is null ? null : externalPid, Label, Program),
        "inspircd" => new InspircdTarget(options, External, External is null ? null : externalPid),
        "ngircd" => new NgircdTarget(options, External, External is null ? null : externalPid),
        "irc-floor" or "irc-floor-uring" => new IrcFloorTarget(options, External, External is null ? null : externalPid, uring: Kind == "irc-floor-uring"),
        "catchat-web" => new CatChatWebTarget(options, External, External is null ? null : externalPid, Label, Program),
        _ => new CatChatTarget(options, External, External is null ? null : externalPid, Transport, Label, Program),
    };

    /// <summary>The name in results and reports: catchat, catchat:epoll, catchat=before, catchat:epoll=before, ...</summary>
    public override string ToString() =>
        Kind == "cluster" ? $"catchat*{Nodes}"
        : External is not null ? $"{Kind}@{External}"
        : (Transport is null ? Kind : $"{Kind}:{Transport}") + (Label is null ? "" : "=" + Label);

    // catchat[:TRANSPORT]=LABEL:PATH, catchat-irc=LABEL:PATH or catchat-web=LABEL:PATH. The label is the first colon's left: a path may hold
    // colons, a label may not.
    private static TargetSpec ParseBuild(string text, string head, string build)
    {
        string? transport = null;
        var kind = "catchat";
        if (head.StartsWith("catchat:", StringComparison.OrdinalIgnoreCase))
        {
            transport = ParseTransport(text, head["catchat:".Length..]);
        }
        else if (head.Equals("catchat-irc", StringComparison.OrdinalIgnoreCase) || head.Equals("catchat-web", StringComparison.OrdinalIgnoreCase))
        {
            kind = head.ToLowerInvariant();
        }
        else if (!head.Equals("catchat", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"target \"{text}\": only catchat, catchat:TRANSPORT, catchat-irc or catchat-web takes another build (catchat=LABEL:PATH)");
        }

        var colon = build.IndexOf(':', StringComparison.Ordinal);
        var label = colon < 0 ? "" : build[..colon];
        var path = colon < 0 ? "" : build[(colon + 1)..];
        if (label.Length == 0 || path.Length == 0)
        {
            throw new ArgumentException($"target \"{text}\" needs a label and a path: catchat=LABEL:PATH, e.g. catchat=before:/tmp/before/src/CatChat/bin/Release/net10.0/CatChat.dll");
        }

        if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"target \"{text}\": the label \"{label}\" may hold letters, digits, '-', '_' and '.' only");
        }

        var program = Path.GetFullPath(path);
        if (!File.Exists(program))
        {
            throw new ArgumentException($"target \"{text}\": no such file {program} (a CatChat.dll, or a published CatChat executable)");
        }

        return new TargetSpec(kind, null, Transport: transport, Label: label, Program: program);
    }

    private static string ParseTransport(string text, string transport)
    {
        transport = transport.ToLowerInvariant();
        return transport is "epoll" or "io_uring" or "auto"
            ? transport
            : throw new ArgumentException($"target \"{text}\": the transport is epoll, io_uring or auto");
    }
}
