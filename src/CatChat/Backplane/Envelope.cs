using System.Text.Json.Serialization;

namespace CatChat.Backplane;

/// <summary>
/// A <see cref="Chat.ClusterMessage"/> on the wire: one JSON object per Redis message, short names, nulls
/// left out. <see cref="Version"/> lets a later CatChat change the format without confusing this one.
/// </summary>
internal sealed record Envelope
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("v")] public int Version { get; init; }
    [JsonPropertyName("kind")] public string? Kind { get; init; }
    [JsonPropertyName("node")] public string? Node { get; init; }
    [JsonPropertyName("name")] public string? NodeName { get; init; }
    [JsonPropertyName("seq")] public long Seq { get; init; }
    [JsonPropertyName("prev")] public long? Prev { get; init; }
    [JsonPropertyName("cid")] public string? ConnectionId { get; init; }
    [JsonPropertyName("nick")] public string? Nick { get; init; }
    [JsonPropertyName("new")] public string? NewNick { get; init; }
    [JsonPropertyName("text")] public string? Text { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    [JsonPropertyName("by")] public string? By { get; init; }
    [JsonPropertyName("to")] public string? To { get; init; }
    [JsonPropertyName("target")] public string? Target { get; init; }
    [JsonPropertyName("addr")] public string? Address { get; init; }
    [JsonPropertyName("since")] public DateTimeOffset? Since { get; init; }
    [JsonPropertyName("users")] public int? Users { get; init; }
    [JsonPropertyName("lines")] public IReadOnlyList<string>? Lines { get; init; }
    [JsonPropertyName("id")] public string? MessageId { get; init; }
    [JsonPropertyName("parts")] public IReadOnlyList<string>? Parts { get; init; }
    [JsonPropertyName("concat")] public IReadOnlyList<int>? ConcatParts { get; init; }
    [JsonPropertyName("cont")] public bool? ContinuesMultiline { get; init; }
    [JsonPropertyName("room")] public string? Room { get; init; }
    [JsonPropertyName("rooms")] public IReadOnlyList<string>? Rooms { get; init; }
    [JsonPropertyName("door")] public string? Door { get; init; }
    [JsonPropertyName("user")] public string? User { get; init; }
    [JsonPropertyName("modes")] public RoomModesRecord? Modes { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
}
