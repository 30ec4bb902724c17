using System.Globalization;
using System.Text;
using CatChat.Chat;
using CatChat.Sessions;
using Microsoft.Extensions.Options;

namespace CatChat.Api;

/// <summary><c>GET /metrics</c>: the chat's counters in the Prometheus text exposition format (version 0.0.4).</summary>
internal static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", (ChatRoom room, IOptionsMonitor<SessionLimits> sessions) => TypedResults.Text(Render(room, sessions.CurrentValue.MaxConnections), ContentType))
            .WithName("GetMetrics")
            .WithSummary("Prometheus metrics.");

    public static string Render(ChatRoom room, int connectionsLimit)
    {
        var m = room.Metrics;
        var text = new StringBuilder();
        Gauge(text, "catchat_connections", "Chat users connected now.", room.Count);
        Gauge(text, "catchat_connections_limit", "Chat connections allowed in total (--max-connections).", connectionsLimit);
        Counter(text, "catchat_connections_accepted_total", "Chat connections that joined the room.", m.ConnectionsAccepted);
        Counter(text, "catchat_connections_refused_total", "Chat connections refused by the connection caps.", m.ConnectionsRefused);
        Counter(text, "catchat_lines_received_total", "Lines received from chat clients.", m.LinesReceived);
        Counter(text, "catchat_received_bytes_total", "Bytes of the lines received from chat clients.", m.BytesReceived);
        Counter(text, "catchat_lines_delivered_total", "Chat lines and actions queued for recipients, one per recipient.", m.LinesDelivered);
        Counter(text, "catchat_sent_bytes_total", "Bytes flushed to chat clients.", m.BytesSent);
        Counter(text, "catchat_lines_too_long_total", "Lines refused for passing the length limit.", m.LinesTooLong);
        Counter(text, "catchat_flood_delayed_lines_total", "Lines held back by flood control.", m.LinesDelayedByFloodControl);
        Counter(text, "catchat_flood_disconnects_total", "Clients disconnected for flooding past the bound.", m.ClientsDroppedForFlood);
        Counter(text, "catchat_slow_consumer_disconnects_total", "Clients disconnected because their send queue passed its cap.", m.ClientsDroppedAsSlow);
        Counter(text, "catchat_history_lines_written_total", "History lines stored in the database.", m.HistoryLinesWritten);
        Counter(text, "catchat_history_lines_dropped_total", "History lines dropped because the write queue was full (database slow or away).", m.HistoryLinesDropped);
        Counter(text, "catchat_history_write_failures_total", "Failed attempts to write a batch of history.", m.HistoryWriteFailures);
        Histogram(text, "catchat_broadcast_latency_seconds", "Time from receiving a chat line to queueing it for every recipient.", m.BroadcastLatency);
        if (room.Backplane.IsClustered)
        {
            Backplane(text, room);
        }

        return text.ToString();
    }

    // Only in a cluster, so a single node's output is as it always was.
    private static void Backplane(StringBuilder text, ChatRoom room)
    {
        var backplane = room.Backplane;
        var b = backplane.Metrics;
        Gauge(text, "catchat_backplane_up", "1 while this node's link to the cluster (Redis) is whole, 0 while split or connecting.", backplane.State == BackplaneState.Whole ? 1 : 0);
        Gauge(text, "catchat_cluster_nodes", "Nodes of the cluster this node knows of, itself included.", 1 + room.Cluster.Nodes.Count);
        Gauge(text, "catchat_cluster_users", "Users on every node of the cluster, as far as this node knows.", room.ClusterCount);
        Counter(text, "catchat_backplane_published_total", "Messages this node published to the other nodes.", b.Published);
        Counter(text, "catchat_backplane_publish_dropped_total", "Messages not published: said while split, or the queue to Redis was full.", b.PublishDropped);
        Counter(text, "catchat_backplane_received_total", "Messages received from the bus, this node's own included.", b.Received);
        Counter(text, "catchat_backplane_receive_dropped_total", "Messages from the bus dropped because the receive queue was full.", b.ReceiveDropped);
        Counter(text, "catchat_backplane_rejected_total", "Malformed messages from the bus that were dropped.", b.Rejected);
        Counter(text, "catchat_backplane_duplicates_total", "Messages from the bus dropped as already seen.", b.Duplicates);
        Counter(text, "catchat_backplane_gaps_total", "Times messages from a node were found missing.", b.Gaps);
        Counter(text, "catchat_backplane_resyncs_total", "Times a node's users were read again from Redis.", b.Resyncs);
        Counter(text, "catchat_backplane_splits_total", "Times this node lost its link to the cluster.", b.Splits);
        Counter(text, "catchat_backplane_nodes_lost_total", "Nodes that went silent and were dropped with their users.", b.NodesLost);
    }

    private static void Header(StringBuilder text, string name, string help, string type) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Gauge(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, help, "gauge");
        text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Counter(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, help, "counter");
        text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Histogram(StringBuilder text, string name, string help, LatencyHistogram histogram)
    {
        Header(text, name, help, "histogram");
        var cumulative = histogram.CumulativeCounts();
        for (var i = 0; i < histogram.UpperBoundsSeconds.Count; i++)
        {
            text.Append(name).Append("_bucket{le=\"").Append(histogram.UpperBoundsSeconds[i].ToString("R", CultureInfo.InvariantCulture))
                .Append("\"} ").Append(cumulative[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        var total = cumulative[^1];
        text.Append(name).Append("_bucket{le=\"+Inf\"} ").Append(total.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(name).Append("_sum ").Append(histogram.SumSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        text.Append(name).Append("_count ").Append(total.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
