using System.Text.Json.Serialization;

namespace CatChat.Backplane;

/// <summary>One user of a node as stored in its members hash, for nodes that need to catch up.</summary>
internal sealed record MemberRecord(
    [property: JsonPropertyName("nick")] string? Nick,
    [property: JsonPropertyName("addr")] string? Address,
    [property: JsonPropertyName("since")] DateTimeOffset? Since,
    [property: JsonPropertyName("rooms")] IReadOnlyList<string>? Rooms = null,
    [property: JsonPropertyName("door")] string? Door = null,
    [property: JsonPropertyName("user")] string? User = null,
    [property: JsonPropertyName("ops")] IReadOnlyList<string>? Operating = null,
    [property: JsonPropertyName("voiced")] IReadOnlyList<string>? Voiced = null);
