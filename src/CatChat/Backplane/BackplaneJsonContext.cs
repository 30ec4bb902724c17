using System.Text.Json.Serialization;

namespace CatChat.Backplane;

/// <summary>Source-generated JSON for what goes through Redis: no reflection, and nothing but these shapes is ever read.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 4)]
[JsonSerializable(typeof(Envelope))]
[JsonSerializable(typeof(MemberRecord))]
internal sealed partial class BackplaneJsonContext : JsonSerializerContext;
