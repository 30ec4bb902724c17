using CatChat.Chat;

namespace CatChat.Api;

/// <summary><c>/api/cluster</c>: the nodes of the cluster, their users, and the state of this node's link to them.</summary>
internal static class ClusterApi
{
    public static void MapClusterApi(this RouteGroupBuilder admin) =>
        admin.MapGet("/cluster", (ChatRoom room) =>
        {
            var backplane = room.Backplane;
            var m = backplane.Metrics;
            return TypedResults.Ok(new ClusterResponse(
                backplane.IsClustered,
                backplane.IsClustered ? backplane.NodeName : null,
                StateName(backplane.State),
                room.ClusterCount,
                backplane.IsClustered ? Nodes(room) : [],
                backplane.IsClustered
                    ? new BackplaneCounters(m.Published, m.PublishDropped, m.Received, m.Rejected, m.Duplicates, m.Gaps, m.Resyncs, m.Splits, m.NodesLost)
                    : null));
        })
        .WithName("GetCluster")
        .WithSummary("The nodes of the cluster with their users, and whether this node's link to them (the backplane) is whole or split.");

    /// <summary>"off" (one node), "connecting", "whole" or "split".</summary>
    public static string StateName(BackplaneState state) => state.ToString().ToLowerInvariant();

    /// <summary>This node first, then the others as far as this node knows them (none while split).</summary>
    public static IReadOnlyList<NodeSummary> Nodes(ChatRoom room)
    {
        var backplane = room.Backplane;
        var self = new NodeSummary(backplane.NodeName, backplane.NodeId, room.Count, true, null);
        var others = backplane.State == BackplaneState.Whole
            ? room.Cluster.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal).Select(n => new NodeSummary(n.Name, n.Id, n.Users, false, n.LastSeen))
            : [];
        return [self, .. others];
    }
}
