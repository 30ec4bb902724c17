using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CatChat.Backplane;

/// <summary>Whether this node is joined to the cluster, or split from it and serving its own users alone.</summary>
internal sealed class BackplaneHealthCheck(RedisBackplane backplane) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var result = backplane.State switch
        {
            Chat.BackplaneState.Whole => HealthCheckResult.Healthy(
                $"Joined to the cluster through Redis as node {backplane.NodeName}; other nodes: {backplane.Cluster.Nodes.Count}."),
            Chat.BackplaneState.Split => new HealthCheckResult(
                context.Registration.FailureStatus, "The chat is split: Redis cannot be reached, so this node serves its own users alone until it is back."),
            _ => new HealthCheckResult(context.Registration.FailureStatus, "Not yet joined to the cluster through Redis."),
        };
        return Task.FromResult(result);
    }
}
