using System.Text.Json.Serialization;

namespace CatChat.Backplane;

/// <summary>A room's shared modes (<see cref="Chat.RoomModes"/>) inside an envelope: short names, empty lists left out.</summary>
internal sealed record RoomModesRecord
{
    [JsonPropertyName("ver")] public long Version { get; init; }
    [JsonPropertyName("flags")] public string? Flags { get; init; }
    [JsonPropertyName("key")] public string? Key { get; init; }
    [JsonPropertyName("limit")] public int? Limit { get; init; }
    [JsonPropertyName("b")] public IReadOnlyList<string>? Bans { get; init; }
    [JsonPropertyName("e")] public IReadOnlyList<string>? BanExceptions { get; init; }
    [JsonPropertyName("I")] public IReadOnlyList<string>? InviteExceptions { get; init; }
}
