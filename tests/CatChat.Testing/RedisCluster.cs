using System.Diagnostics;
using StackExchange.Redis;

namespace CatChat.Testing;

/// <summary>
/// A throwaway Redis Cluster of three masters (no replicas) on free loopback ports, each in a directory of its own,
/// joined by <c>redis-cli --cluster create</c>. scripts/install-deps.sh installs redis-server and redis-tools.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private readonly List<string> _directories;

    private RedisCluster(IReadOnlyList<RedisServer> masters, List<string> directories)
    {
        Masters = masters;
        _directories = directories;
    }

    public IReadOnlyList<RedisServer> Masters { get; }

    /// <summary>The value of <c>--redis</c> for CatChat: every master, so a client finds the cluster from any.</summary>
    public string Address => string.Join(",", Masters.Select(master => master.Address));

    public static async Task<RedisCluster> StartAsync(int masters = 3)
    {
        var servers = new List<RedisServer>();
        var directories = new List<string>();
        var cluster = new RedisCluster(servers, directories);
        try
        {
            for (var i = 0; i < masters; i++)
            {
                var directory = Directory.CreateTempSubdirectory("catchat-redis-cluster-").FullName;
                directories.Add(directory);
                servers.Add(await StartMasterAsync(directory));
            }

            await CreateAsync(servers);
            await WaitUntilOkAsync(servers);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    // The cluster bus gets a free port of its own (by default it is the client port + 10,000, which another process may
    // hold or which may pass 65,535); a port taken between choosing and binding is tried again with fresh ones.
    private static async Task<RedisServer> StartMasterAsync(string directory)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RedisServer.StartAsync(
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--dir", directory, "--cluster-node-timeout", "2000",
                    "--cluster-port", FreePort.NextAsText());
            }
            catch (InvalidOperationException failed) when (attempt < 5 && failed.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
                File.Delete(Path.Combine(directory, "nodes.conf"));
            }
        }
    }

    /// <summary>The sharded channels each master holds now (PUBSUB SHARDCHANNELS), by master.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> ShardChannelsAsync()
    {
        var result = new List<IReadOnlyList<string>>();
        foreach (var master in Masters)
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(master.Address);
            var reply = (RedisResult[])(await redis.GetServer(master.Address).ExecuteAsync("PUBSUB", "SHARDCHANNELS"))!;
            result.Add([.. reply.Select(channel => channel.ToString())]);
        }

        return result;
    }

    /// <summary>How many connections hear each channel, summed over the masters (each counts only its own subscribers).</summary>
    public async Task<IReadOnlyDictionary<string, long>> ShardSubscribersAsync(IEnumerable<string> channels)
    {
        var counts = channels.ToDictionary(channel => channel, _ => 0L, StringComparer.Ordinal);
        foreach (var master in Masters)
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(master.Address);
            var server = redis.GetServer(master.Address);
            foreach (var channel in counts.Keys.ToArray())
            {
                try
                {
                    var reply = (RedisResult[])(await server.ExecuteAsync("PUBSUB", "SHARDNUMSUB", channel))!;
                    counts[channel] += (long)reply[1];
                }
                catch (RedisServerException)
                {
                    // A master that does not own the channel's slot may refuse the question: it has no subscribers of it.
                }
            }
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var master in Masters)
        {
            await master.DisposeAsync();
        }

        foreach (var directory in _directories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task CreateAsync(IReadOnlyList<RedisServer> masters)
    {
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--cluster", "create" }.Concat(masters.Select(m => m.Address)).Concat(["--cluster-replicas", "0", "--cluster-yes"]))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Cannot start redis-cli (run scripts/install-deps.sh)");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli --cluster create failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }
    }

    // Every master must agree the slots are all served before a client can rely on the cluster.
    private static async Task WaitUntilOkAsync(IReadOnlyList<RedisServer> masters)
    {
        var connections = new List<ConnectionMultiplexer>();
        try
        {
            foreach (var master in masters)
            {
                connections.Add(await ConnectionMultiplexer.ConnectAsync(master.Address + ",allowAdmin=true"));
            }

            await Eventually.TrueAsync(
                async () =>
                {
                    for (var i = 0; i < masters.Count; i++)
                    {
                        var info = (await connections[i].GetServer(masters[i].Address).ExecuteAsync("CLUSTER", "INFO")).ToString();
                        if (!info.Contains("cluster_state:ok", StringComparison.Ordinal))
                        {
                            return false;
                        }
                    }

                    return true;
                },
                "every master of the Redis Cluster reporting cluster_state:ok");
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
